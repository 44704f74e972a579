// Fan-out of one change to many blocking watchers: open N long-poll GETs on one key at its
// current index, let them park, PUT the key, and time how long until 50% / 99% / 100% of the
// watchers have the whole answer. Times are measured from just before the PUT is sent.
import { execSync } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { must } from './http.js';
import { progress, sleep } from './log.js';

const KEY = '/v1/kv/watched';
const BATCH = 500;            // connections opened per step (stays under listen backlogs)
const SETTLE_MS = 3000;       // quiet time after the last watcher connected
const ANSWER_TIMEOUT_MS = 30_000;

/** The open-files limit this process (and every child, which inherits it) runs under. */
export function openFilesLimit() {
  try {
    const v = execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim();
    return v === 'unlimited' ? Infinity : Number(v);
  } catch {
    return NaN;
  }
}

/** How many watchers to open: the wanted count, lowered so 10k sockets fit under `ulimit -n`. */
export function watcherCount(wanted) {
  const limit = openFilesLimit();
  const headroom = 1500; // autocannon's sockets, the setup agent, pipes, libuv, node itself
  if (!Number.isFinite(limit)) return { count: wanted, limit, note: null };
  if (limit - headroom >= wanted) return { count: wanted, limit, note: null };
  const count = Math.max(100, limit - headroom);
  return { count, limit, note: `ulimit -n is ${limit}: ${count} watchers instead of ${wanted}` };
}

/** `bases`: one base URL, or several (watcher i goes to bases[i % length]; the PUT to the first). */
export async function runWatchers(bases, n) {
  const all = (Array.isArray(bases) ? bases : [bases]).map((b) => new URL(b));
  const base = all[0].origin;
  await must(base, 'PUT', KEY, 'v0');
  const first = await must(base, 'GET', KEY);
  const index = first.headers['x-consul-index'];
  if (!index || index === '0') throw new Error(`GET ${KEY} gave no usable X-Consul-Index (${index})`);

  const agent = new http.Agent({ keepAlive: false, maxSockets: n + 10, maxTotalSockets: n + 10 });
  const done = new Float64Array(n);      // when each watcher had its whole answer (perf ms)
  const status = new Int32Array(n);      // 0 = no answer yet, -1 = error, else HTTP status
  const errors = new Map();
  let connected = 0;
  let answered = 0;
  let early = 0;
  let triggered = false;
  let resolveAll;
  const allAnswered = new Promise((r) => { resolveAll = r; });
  const finish = (i, code) => {
    if (status[i] !== 0) return;
    status[i] = code;
    done[i] = performance.now();
    answered++;
    if (!triggered) early++;
    if (answered === n) resolveAll();
  };

  const path = `${KEY}?index=${index}&wait=60s`;
  const open = (i) => {
    const url = all[i % all.length];
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'GET', agent }, (res) => {
      res.on('data', () => {});
      res.on('end', () => finish(i, res.statusCode));
      res.on('error', (err) => { errors.set(err.code ?? err.message, (errors.get(err.code ?? err.message) ?? 0) + 1); finish(i, -1); });
    });
    req.on('socket', (s) => {
      if (s.connecting) s.once('connect', () => connected++);
      else connected++;
    });
    req.on('error', (err) => { errors.set(err.code ?? err.message, (errors.get(err.code ?? err.message) ?? 0) + 1); finish(i, -1); });
    req.end();
  };

  const tOpen = performance.now();
  try {
    for (let i = 0; i < n; i += BATCH) {
      const end = Math.min(n, i + BATCH);
      for (let j = i; j < end; j++) open(j);
      const stepDeadline = Date.now() + 10_000;
      while (connected + answered < end && Date.now() < stepDeadline) await sleep(5);
    }
    progress(`  ${connected}/${n} watchers connected in ${Math.round(performance.now() - tOpen)} ms; settling ${SETTLE_MS} ms`);
    await sleep(SETTLE_MS);
    const parked = n - answered;
    if (early > 0) progress(`  ${early} watchers answered before the change (not parked)`);

    triggered = true;
    const t0 = performance.now();
    const put = await must(base, 'PUT', KEY, 'v1');
    const putMs = performance.now() - t0;
    await Promise.race([allAnswered, sleep(ANSWER_TIMEOUT_MS)]);

    const times = [];
    let non2xx = 0;
    for (let i = 0; i < n; i++) {
      if (status[i] > 0 && (status[i] < 200 || status[i] > 299)) non2xx++;
      if (status[i] >= 200 && status[i] <= 299 && done[i] >= t0) times.push(done[i] - t0);
    }
    times.sort((a, b) => a - b);
    const unanswered = n - answered;
    // Percentiles are over all n watchers: a watcher that never got a 2xx answer counts as
    // never reached, so t99/t100 are null when more than 1% / any of them are missing.
    const at = (q) => {
      const need = Math.ceil(q * n);
      return need <= times.length ? times[need - 1] : null;
    };
    return {
      watchers: n,
      parked,
      early,
      unanswered,
      non2xx,
      errors: [...errors.values()].reduce((a, b) => a + b, 0),
      errorKinds: Object.fromEntries(errors),
      putStatus: put.status,
      putMs,
      t50: at(0.5),
      t99: at(0.99),
      t100: at(1),
      first: times.length ? times[0] : null,
      answeredAfterChange: times.length,
    };
  } finally {
    agent.destroy();
  }
}
