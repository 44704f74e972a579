// A small node:http client for setup and checks (not for load: that is autocannon's job).
import http from 'node:http';
import { sleep } from './log.js';

const setupAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request; resolves {status, headers, body} (body as a string). Never rejects on status. */
export function request(base, method, path, body, { timeoutMs = 15000, agent = setupAgent } = {}) {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (body !== undefined) req.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
    else req.end();
  });
}

/** Like request, but throws unless the status is 2xx. */
export async function must(base, method, path, body) {
  const res = await request(base, method, path, body);
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${method} ${path} → ${res.status} ${res.body.slice(0, 200)}`);
  }
  return res;
}

/** Polls /v1/status/leader until it names a leader; throws after timeoutMs or if proc exits. */
export async function waitForLeader(base, proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (proc.exitInfo) {
      throw new Error(`${proc.name} exited (${JSON.stringify(proc.exitInfo)}) before electing a leader:\n${proc.logTail()}`);
    }
    try {
      const res = await request(base, 'GET', '/v1/status/leader', undefined, { timeoutMs: 2000 });
      last = `${res.status} ${res.body.trim()}`;
      if (res.status === 200) {
        const leader = JSON.parse(res.body);
        if (typeof leader === 'string' && leader !== '') return leader;
      }
    } catch (err) {
      last = err.message;
    }
    await sleep(200);
  }
  throw new Error(`${proc.name}: no leader after ${timeoutMs} ms (last: ${last}):\n${proc.logTail()}`);
}

/** Runs fn(i) for i in [from, to) with at most `concurrency` in flight; returns failures. */
export async function forEachLimited(from, to, concurrency, fn) {
  let next = from;
  const failures = [];
  const worker = async () => {
    while (next < to) {
      const i = next++;
      try { await fn(i); } catch (err) { failures.push(err.message); }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, worker));
  return failures;
}
