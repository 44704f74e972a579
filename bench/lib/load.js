// Closed-loop HTTP load with autocannon, used programmatically.
//
// Why autocannon and not wrk: it installs with `npm install` as a root devDependency, so
// every machine (developers', CI's) has the same generator without an apt step; its
// per-request `setupRequest` hook gives each PUT a distinct key without a Lua script; and it
// reports non-2xx and socket errors per run. Its cost: it is JavaScript on one core of a
// 2-core box, so for the bare server it can be the limit (see bench/README.md). The same
// generator, connection count and durations are used for every target.
//
// autocannon's own histogram stores whole milliseconds; we take the float response time of
// every 2xx answer from its 'response' event instead, so p50/p99 keep sub-ms resolution.
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';

/**
 * spec: {method, path, body?, headers?, make?: () => ({path?, body?})}
 * Runs an unmeasured warm-up of warmupS seconds, then a measured run of durationS seconds.
 * Resolves {rps, p50, p99, ok, non2xx, errors, timeouts, statusCodes, seconds}.
 */
export async function runLoad(base, spec, { connections, durationS, warmupS }) {
  if (warmupS > 0) await runOnce(base, spec, connections, warmupS);
  return runOnce(base, spec, connections, durationS);
}

function runOnce(base, spec, connections, seconds) {
  const request = {
    method: spec.method,
    path: spec.path,
    headers: spec.headers ?? {},
  };
  if (spec.body !== undefined) request.body = spec.body;
  if (spec.make) request.setupRequest = (req) => ({ ...req, ...spec.make() });

  let latencies = new Float64Array(1 << 16);
  let ok = 0;
  const started = performance.now();
  const instance = autocannon({
    url: base,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    requests: [request],
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode < 200 || statusCode > 299) return;
    if (ok === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[ok++] = responseTime;
  });
  return instance.then((result) => {
    const elapsed = (performance.now() - started) / 1000;
    const sorted = latencies.subarray(0, ok).sort();
    const statusCodes = {};
    for (const [code, v] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = v.count;
    return {
      rps: ok / elapsed,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      ok,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes,
      seconds: elapsed,
    };
  });
}

/** Nearest-rank percentile of an ascending array; null when empty. */
export function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}
