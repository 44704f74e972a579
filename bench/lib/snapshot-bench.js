// The snapshot rows: what a snapshot of a large catalog costs Praetor. One durable agent gets
// SERVICES services (NODES nodes, written through /v1/txn), then:
//   - GET /v1/snapshot: time to the whole archive, its size, the agent's RSS before and its
//     peak (VmHWM) after, and the slowest answer to a GET /v1/status/leader loop run meanwhile
//     (how long the agent stopped serving, at most);
//   - restart with replay: the agent replays its log and writes its embedded snapshot file;
//   - restart from snapshot: the agent loads that file (no log to replay);
//   - PUT /v1/snapshot: the archive restored back (streamed, spooled, checked, swapped).
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { forEachLimited, must, request } from './http.js';
import { progress } from './log.js';
import { makeTmpDir, startPraetor } from './targets.js';

const MB = 1024 * 1024;

function memory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Runs `work` while a loop of GET /v1/status/leader runs; returns work's result and the slowest ping (ms). */
async function whilePinging(base, work) {
  let done = false;
  let slowest = 0;
  let pings = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const loop = (async () => {
    while (!done) {
      const t0 = performance.now();
      await request(base, 'GET', '/v1/status/leader', undefined, { agent });
      slowest = Math.max(slowest, performance.now() - t0);
      pings++;
    }
  })();
  try {
    const out = await work();
    return { out, slowest, pings };
  } finally {
    done = true;
    await loop;
    agent.destroy();
  }
}

/** Downloads a body, returning its bytes. */
function download(base, p) {
  return new Promise((resolve, reject) => {
    http.get(new URL(p, base), (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(parts)) : reject(new Error(`GET ${p} → ${res.statusCode}`))));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function fill(base, services, nodes) {
  const perNode = Math.ceil(services / nodes);
  const nodeOps = [];
  const serviceOps = [];
  for (let n = 0; n < nodes; n++) {
    nodeOps.push({ Node: { Verb: 'set', Node: { Node: `snap-node-${n}`, Address: `10.${(n >> 8) & 255}.${n & 255}.1` } } });
    for (let s = 0; s < perNode && n * perNode + s < services; s++) {
      serviceOps.push({ Service: { Verb: 'set', Node: `snap-node-${n}`, Service: { ID: `svc-${s}`, Service: `svc-${s % 50}`, Port: 8000 + s, Tags: ['bench'], Meta: { n: String(n) } } } });
    }
  }
  // Nodes first: a service's transaction needs its node registered.
  for (const ops of [nodeOps, serviceOps]) {
    const batches = [];
    for (let i = 0; i < ops.length; i += 128) batches.push(ops.slice(i, i + 128));
    const failures = await forEachLimited(0, batches.length, 8, (i) => must(base, 'PUT', '/v1/txn', batches[i]));
    if (failures.length) throw new Error(`filling the catalog: ${failures[0]}`);
  }
}

async function timedStart(dir) {
  const t0 = performance.now();
  const target = await startPraetor({ keepDir: dir });
  return { target, ms: performance.now() - t0 };
}

export async function snapshotCost({ services = 100_000, nodes = 1_000 } = {}) {
  const dir = makeTmpDir('bench-snapshot-');
  let target = await startPraetor({ keepDir: dir });
  const rows = [];
  try {
    progress(`snapshots: registering ${services} services on ${nodes} nodes…`);
    await fill(target.base, services, nodes);
    const pid = target.proc.child.pid;
    const before = memory(pid);
    progress('snapshots: GET /v1/snapshot…');
    const t0 = performance.now();
    const got = await whilePinging(target.base, () => download(target.base, '/v1/snapshot'));
    const getMs = performance.now() - t0;
    const after = memory(pid);
    rows.push({ name: 'GET /v1/snapshot', ms: getMs, mb: got.out.length / MB, rssBefore: before.rss, peak: after.peak, slowestPing: got.slowest, pings: got.pings });

    await target.stop();
    progress('snapshots: restart (replay the log, write the snapshot file)…');
    let r = await timedStart(dir);
    target = r.target;
    const stateDir = path.join(target.dataDir, 'state');
    const snapFile = fs.readdirSync(stateDir).find((n) => /^snapshot-\d+\.json$/.test(n));
    const fileMb = snapFile ? fs.statSync(path.join(stateDir, snapFile)).size / MB : NaN;
    rows.push({ name: 'restart: replay + write snapshot file', ms: r.ms, mb: fileMb, rssBefore: NaN, peak: memory(target.proc.child.pid).peak });

    await target.stop();
    progress('snapshots: restart (load the snapshot file)…');
    r = await timedStart(dir);
    target = r.target;
    const loaded = memory(target.proc.child.pid);
    rows.push({ name: 'restart: load snapshot file', ms: r.ms, mb: fileMb, rssBefore: NaN, peak: loaded.peak });

    progress('snapshots: PUT /v1/snapshot…');
    const t1 = performance.now();
    const put = await whilePinging(target.base, () => request(target.base, 'PUT', '/v1/snapshot', got.out, { timeoutMs: 300_000 }));
    if (put.out.status !== 200) throw new Error(`PUT /v1/snapshot → ${put.out.status} ${put.out.body.slice(0, 200)}`);
    rows.push({ name: 'PUT /v1/snapshot (restore)', ms: performance.now() - t1, mb: got.out.length / MB, rssBefore: loaded.rss, peak: memory(target.proc.child.pid).peak, slowestPing: put.slowest, pings: put.pings });
  } finally {
    await target.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { services, nodes, rows };
}

export function formatSnapshot(result) {
  if (result.error) return `snapshots: n/a: ${result.error}`;
  const f = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : '—');
  const lines = [`snapshot (${result.services} services on ${result.nodes} nodes) | ms      | MB    | RSS before MB | peak RSS MB | slowest other request ms (n)`];
  for (const r of result.rows) {
    const ping = r.slowestPing == null ? '—' : `${f(r.slowestPing, 1)} (${r.pings})`;
    lines.push(`${r.name.padEnd(50)} | ${f(r.ms).padStart(7)} | ${f(r.mb, 1).padStart(5)} | ${f(r.rssBefore / MB).padStart(13)} | ${f(r.peak / MB).padStart(11)} | ${ping}`);
  }
  return lines.join('\n');
}
