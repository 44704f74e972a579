// The HA rows: Praetor servers on a real etcd cluster (3 etcd members + 3 Praetor servers on
// this machine), measured in the same run as etcd itself:
//   - etcd put / range: the etcd3 client straight at the cluster (the baseline);
//   - Praetor KV PUT / GET through one server (distinct keys / one key), over keep-alive HTTP;
//   both driven by the same closed loop in this process, with BENCH_CONNECTIONS requests in
//   flight (autocannon, which the other tables use, costs more CPU per request than this loop,
//   and would tilt the comparison against Praetor on two cores);
//   - one change → 1,000 blocking watchers spread over the three servers: time to 50/99/100%;
//   - failover: SIGKILL of the leading Praetor server → the first acknowledged write through a
//     survivor (a writer loop runs against the survivors the whole time).
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Etcd3 } from 'etcd3';
import { must, request, waitForLeader } from './http.js';
import { progress, sleep } from './log.js';
import { freePorts } from './ports.js';
import { startProcess } from './procs.js';
import { VALUE_100 } from './scenarios.js';
import { makeTmpDir, ROOT } from './targets.js';
import { runWatchers } from './watchers.js';

const PRAETOR_BIN = path.join(ROOT, 'packages/registry-server/bin/praetor.js');
const { startEtcdCluster, etcdAvailable } = await import(path.join(ROOT, 'packages/registry-server/dist/src/dev-cluster/etcd-cluster.js'));

/** One HTTP request over `agent`; rejects on a non-2xx answer. */
function httpOp(agent, base, method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode >= 200 && res.statusCode < 300 ? resolve() : reject(new Error(`${method} ${path} → ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `inFlight` loops calling `op(n)` for `seconds`; ops/s and latency percentiles (ms). */
async function closedLoop(inFlight, seconds, op) {
  const latencies = [];
  let n = 0;
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await op(n++);
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  }));
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? null;
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99), ok: latencies.length, errors };
}

async function startServers(etcd, count, first = 0) {
  const servers = [];
  for (let i = first; i < first + count; i++) {
    const [http, server, dns] = await freePorts(3);
    const dataDir = makeTmpDir(`bench-etcd-praetor-${i}-`);
    // As the single-server rows: room for the watchers' connections from one client address.
    const cfg = path.join(dataDir, 'bench.json');
    fs.writeFileSync(cfg, JSON.stringify({ limits: { http_max_conns_per_client: 20000 } }));
    const proc = startProcess(`praetor-etcd-${i + 1}`, process.execPath, [
      PRAETOR_BIN, 'agent', '-server', '-node', `bench-s${i + 1}`, '-data-dir', dataDir, '-http-port', String(http),
      '-dns-port', String(dns), '-server-port', String(server), '-bind', '127.0.0.1', '-client', '127.0.0.1',
      '-log-level', 'warn', '-store', 'etcd', '-etcd-endpoints', etcd.endpoints, '-config-file', cfg,
    ]);
    servers.push({ base: `http://127.0.0.1:${http}`, addr: `127.0.0.1:${server}`, proc });
  }
  for (const s of servers) await waitForLeader(s.base, s.proc, 60_000);
  return servers;
}

/** Runs the HA rows; returns {rows, failoverMs, watchers} or throws with the reason. */
export async function etcdCost(config) {
  if (!etcdAvailable()) throw new Error('etcd is not on PATH (Debian: apt-get install etcd-server)');
  progress('HA: starting 3 etcd members…');
  const etcd = await startEtcdCluster({ dataDir: makeTmpDir('bench-etcd-') });
  let servers = [];
  const client = new Etcd3({ hosts: etcd.endpoints.split(',') });
  try {
    await etcd.healthy(60_000);
    // Through one server while it is the only one (its cost next to etcd's), then again with
    // all three mirroring every write (what a cluster on one 2-core machine costs).
    progress('HA: starting 1 Praetor server on etcd…');
    servers = await startServers(etcd, 1);
    const rows = [];
    const value = Buffer.from(VALUE_100);

    progress('HA: etcd put (etcd3 client, the baseline)…');
    await closedLoop(config.connections, config.warmupS, (n) => client.put(`bench/warm/${n}`).value(value));
    rows.push({ title: 'etcd put 100 B, distinct keys', target: 'etcd', ...(await closedLoop(config.connections, config.durationS, (n) => client.put(`bench/raw/${n}`).value(value))) });
    progress('HA: Praetor KV PUT through one server…');
    const agent = new http.Agent({ keepAlive: true, maxSockets: config.connections });
    const base = servers[0].base;
    await closedLoop(config.connections, config.warmupS, (n) => httpOp(agent, base, 'PUT', `/v1/kv/bench/warm/${n}`, VALUE_100));
    rows.push({ title: 'KV PUT 100 B, distinct keys', target: 'praetor (etcd)', ...(await closedLoop(config.connections, config.durationS, (n) => httpOp(agent, base, 'PUT', `/v1/kv/bench/put/${n}`, VALUE_100))) });

    await client.put('bench/get').value(value);
    progress('HA: etcd range of one key…');
    await closedLoop(config.connections, config.warmupS, () => client.get('bench/get').buffer());
    rows.push({ title: 'etcd range, one 100 B key', target: 'etcd', ...(await closedLoop(config.connections, config.durationS, () => client.get('bench/get').buffer())) });
    await must(servers[0].base, 'PUT', '/v1/kv/bench/get', VALUE_100);
    progress('HA: Praetor KV GET through one server (default consistency: confirmed with etcd)…');
    for (const [title, path] of [['KV GET 100 B key (default)', '/v1/kv/bench/get'], ['KV GET 100 B key (?stale)', '/v1/kv/bench/get?stale']]) {
      await closedLoop(config.connections, config.warmupS, () => httpOp(agent, base, 'GET', path));
      rows.push({ title, target: 'praetor (etcd)', ...(await closedLoop(config.connections, config.durationS, () => httpOp(agent, base, 'GET', path))) });
    }
    progress('HA: starting 2 more Praetor servers…');
    servers.push(...(await startServers(etcd, 2, 1)));
    rows.push({ title: 'KV PUT 100 B, 3 servers mirroring', target: 'praetor (etcd)', ...(await closedLoop(config.connections, config.durationS, (n) => httpOp(agent, base, 'PUT', `/v1/kv/bench/put3/${n}`, VALUE_100))) });
    agent.destroy();

    progress('HA: one change → 1,000 watchers over the three servers…');
    const watchers = await runWatchers(servers.map((s) => s.base), 1000);

    progress('HA: failover: SIGKILL of the leading Praetor server…');
    const failoverMs = await failover(servers);
    return { rows, watchers, failoverMs };
  } finally {
    client.close();
    await Promise.all(servers.map((s) => s.proc.stop()));
    await etcd.stop();
  }
}

/** ms from the leader's SIGKILL to the first acknowledged write through a survivor. */
async function failover(servers) {
  const leader = JSON.parse((await must(servers[0].base, 'GET', '/v1/status/leader')).body);
  const victim = servers.find((s) => s.addr === leader);
  if (!victim) throw new Error(`the leader ${leader} is none of the servers`);
  const survivors = servers.filter((s) => s !== victim);
  // A leader duty that needs the leadership: a TTL session expiring waits for the new leader.
  victim.proc.child.kill('SIGKILL');
  const t0 = performance.now();
  let n = 0;
  for (;;) {
    const target = survivors[n++ % survivors.length];
    const res = await request(target.base, 'PUT', `/v1/kv/bench/failover/${n}`, 'x', { timeoutMs: 2000 }).catch(() => null);
    const newLeader = await request(target.base, 'GET', '/v1/status/leader', undefined, { timeoutMs: 2000 }).catch(() => null);
    if (res?.status === 200 && newLeader && JSON.parse(newLeader.body) !== leader && JSON.parse(newLeader.body) !== '') return performance.now() - t0;
    if (performance.now() - t0 > 30_000) throw new Error('no write through a survivor under a new leader within 30 s');
    await sleep(10);
  }
}

const ms = (v) => (v == null ? '—' : `${v.toFixed(2)} ms`);

export function formatEtcd(r) {
  if (r.error) return `not measured: ${r.error}`;
  const lines = ['| row | target | req/s | p50 | p99 | vs etcd |', '|---|---|---:|---:|---:|---:|'];
  const rawPut = r.rows.find((x) => x.title.startsWith('etcd put'));
  const rawGet = r.rows.find((x) => x.title.startsWith('etcd range'));
  for (const row of r.rows) {
    const base = row.title.includes('PUT') ? rawPut : row.title.includes('GET') ? rawGet : null;
    const vs = base && row.target !== 'etcd' ? `${(row.rps / base.rps).toFixed(2)}×${row.title.includes('PUT') ? ` (goal ≥0.5× ${row.rps / base.rps >= 0.5 ? 'met' : 'MISSED'})` : ''}` : '';
    lines.push(`| ${row.title} | ${row.target} | ${Math.round(row.rps)} | ${ms(row.p50)} | ${ms(row.p99)} | ${vs} |`);
  }
  const w = r.watchers;
  lines.push('', `one change → ${w.watchers} watchers over 3 servers: 50% ${ms(w.t50)}, 99% ${ms(w.t99)}, 100% ${ms(w.t100)} (PUT ${ms(w.putMs)}; early ${w.early}, unanswered ${w.unanswered})`);
  lines.push(`failover: SIGKILL of the leader → first acknowledged write through a survivor under the new leader: ${ms(r.failoverMs)}`);
  return lines.join('\n');
}
