// The membership rows: N simulated client agents (default 5,000) heartbeating at the default
// interval (member_timeout 6s / 3 = 2 s) through the real sender (heartbeat() of
// membership/heartbeat.ts), all from this one process over keep-alive connections (one per
// client), against
//   - 3 Praetor servers on a real 3-member etcd cluster (clients spread evenly): liveness on
//     etcd leases, one keepalive stream per server;
//   - the baseline, measured in the same run: one embedded Praetor server (leases in process).
// Per target: the ramp (time until every member is alive on every server), heartbeats/s and
// p50/p99 latency over the measured window, CPU of the servers (and of etcd), the latency of
// GET /v1/agent/members with every member listed, and the detect time: from a stopped
// member's last answered heartbeat to its serfHealth critical (a few members stopped).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { request, waitForLeader } from './http.js';
import { progress, sleep } from './log.js';
import { freePorts } from './ports.js';
import { startProcess } from './procs.js';
import { makeTmpDir, ROOT } from './targets.js';

const PRAETOR_BIN = path.join(ROOT, 'packages/registry-server/bin/praetor.js');
const dist = (p) => import(path.join(ROOT, 'packages/registry-server/dist/src', p));
const { heartbeat } = await dist('membership/heartbeat.js');
const { startEtcdCluster, etcdAvailable } = await dist('dev-cluster/etcd-cluster.js');

const CLK_TCK = 100;
/** The bench's own checks use a fresh connection each: a keep-alive socket the busy server is closing would fail them. */
const checks = { timeoutMs: 60_000, agent: new http.Agent({ keepAlive: false }) };
/** Over how long the clients' first heartbeats are spread (s): clients of a datacenter do not all start in one instant. */
const ATTACH_S = Number(process.env.BENCH_MEMBERS_ATTACH_S ?? 20);

/** CPU seconds (user + system) a process has used, from /proc; null when unreadable. */
function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

async function startServer(name, args) {
  const [httpPort, server, dns] = await freePorts(3);
  const dataDir = makeTmpDir(`bench-members-${name}-`);
  const cfg = path.join(dataDir, 'bench.json');
  fs.writeFileSync(cfg, JSON.stringify({ limits: { http_max_conns_per_client: 20000 } }));
  const proc = startProcess(name, process.execPath, [
    PRAETOR_BIN, 'agent', '-server', '-node', name, '-data-dir', dataDir, '-http-port', String(httpPort), '-dns-port', String(dns),
    '-server-port', String(server), '-bind', '127.0.0.1', '-client', '127.0.0.1', '-log-level', 'warn', '-config-file', cfg, ...args,
  ]);
  return { name, base: `http://127.0.0.1:${httpPort}`, proc };
}

const announcement = (i) => ({
  Name: `bench-client-${i}`, ID: '', Datacenter: 'dc1', Addr: '127.0.0.1', Listen: [`127.0.0.1:${20000 + (i % 40000)}`],
  Tags: { role: 'node', dc: 'dc1', port: '8301' }, Meta: {}, Status: 'alive',
});

/**
 * The simulated clients: client i heartbeats to server i % servers.length on its own keep-alive
 * connection every interval (the answer's IntervalMs), the first heartbeats spread over one interval.
 */
class Clients {
  constructor(n, servers) {
    this.servers = servers;
    this.clients = Array.from({ length: n }, (_, i) => ({ i, a: announcement(i), agent: new http.Agent({ keepAlive: true, maxSockets: 1 }), timer: null, lastOk: 0, stopped: false }));
    this.latencies = [];
    this.errors = 0;
    this.errorKinds = {};
    this.recording = false;
    this.intervalMs = 2000;
  }

  start(spreadMs) {
    for (const c of this.clients) c.timer = setTimeout(() => this.beat(c), Math.floor((c.i / this.clients.length) * spreadMs));
  }

  async beat(c) {
    if (c.stopped) return;
    const t0 = performance.now();
    try {
      const answer = await heartbeat(this.servers[c.i % this.servers.length].base, c.a, 10_000, undefined, c.agent);
      this.intervalMs = answer.IntervalMs;
      c.lastOk = performance.now();
      if (this.recording) this.latencies.push(c.lastOk - t0);
    } catch (err) {
      this.errors++;
      const kind = err.message.replace(/\d+/g, 'N').slice(0, 80);
      this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
    }
    if (!c.stopped) c.timer = setTimeout(() => this.beat(c), Math.max(0, this.intervalMs - (performance.now() - t0)));
  }

  stop(c) {
    c.stopped = true;
    clearTimeout(c.timer);
  }

  stopAll() {
    for (const c of this.clients) {
      this.stop(c);
      c.agent.destroy();
    }
  }
}

const pct = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;

async function aliveCount(base) {
  const res = await request(base, 'GET', '/v1/agent/members', undefined, checks);
  return JSON.parse(res.body).filter((m) => m.Tags.role === 'node' && m.Status === 1).length;
}

async function passingCount(base) {
  const res = await request(base, 'GET', '/v1/health/state/passing?stale', undefined, checks);
  return JSON.parse(res.body).filter((c) => c.CheckID === 'serfHealth' && c.Node.startsWith('bench-client-')).length;
}

/** One target: servers up, N clients attached, then the measurements. */
async function measureTarget(label, servers, extraPids, n, config) {
  const clients = new Clients(n, servers);
  const out = { target: label, servers: servers.length, members: n };
  try {
    progress(`membership (${label}): ${n} clients attaching over ${ATTACH_S} s…`);
    const t0 = performance.now();
    clients.start(ATTACH_S * 1000);
    const deadline = Date.now() + 180_000;
    for (;;) {
      const alive = await Promise.all(servers.map((s) => aliveCount(s.base)));
      const passing = await passingCount(servers[0].base);
      if (alive.every((a) => a === n) && passing === n) break;
      if (Date.now() > deadline) throw new Error(`not every member alive within 180 s (alive per server ${alive.join('/')}, serfHealth passing ${passing})`);
      await sleep(500);
    }
    out.rampS = (performance.now() - t0) / 1000;
    progress(`  every member alive on every server with serfHealth passing after ${out.rampS.toFixed(1)} s`);

    await sleep(clients.intervalMs); // one steady interval before measuring
    const seconds = Math.max(10, config.durationS);
    const cpu0 = [...servers.map((s) => s.proc.child.pid), ...extraPids].map(cpuSeconds);
    const sent0 = clients.errors;
    clients.latencies = [];
    clients.recording = true;
    const m0 = performance.now();
    const membersLat = [];
    let membersBytes = 0;
    while (performance.now() - m0 < seconds * 1000) {
      const q0 = performance.now();
      const res = await request(servers[0].base, 'GET', '/v1/agent/members', undefined, checks);
      if (res.status !== 200) throw new Error(`GET /v1/agent/members → ${res.status}`);
      membersLat.push(performance.now() - q0);
      membersBytes = res.body.length;
      await sleep(250);
    }
    const elapsed = (performance.now() - m0) / 1000;
    clients.recording = false;
    const cpu1 = [...servers.map((s) => s.proc.child.pid), ...extraPids].map(cpuSeconds);
    const lat = clients.latencies.sort((a, b) => a - b);
    membersLat.sort((a, b) => a - b);
    out.heartbeatsPerS = lat.length / elapsed;
    out.p50 = pct(lat, 0.5);
    out.p99 = pct(lat, 0.99);
    out.errors = clients.errors - sent0;
    out.errorKinds = clients.errorKinds;
    out.serverCpu = cpu0.slice(0, servers.length).map((c, i) => (c == null || cpu1[i] == null ? null : (cpu1[i] - c) / elapsed));
    out.etcdCpu = cpu0.slice(servers.length).map((c, i) => (c == null || cpu1[servers.length + i] == null ? null : (cpu1[servers.length + i] - c) / elapsed));
    out.membersP50 = pct(membersLat, 0.5);
    out.membersP99 = pct(membersLat, 0.99);
    out.membersCount = membersLat.length;
    out.membersBytes = membersBytes;
    progress(`  ${Math.round(out.heartbeatsPerS)} heartbeats/s, p50 ${out.p50?.toFixed(2)} ms, p99 ${out.p99?.toFixed(2)} ms, errors ${out.errors}; members p50 ${out.membersP50?.toFixed(1)} ms`);

    // Detect: stop a few members; time from each one's last answered heartbeat to serfHealth critical.
    const victims = [0, 1, 2, 3, 4].map((k) => clients.clients[Math.floor((k * n) / 5) + 1]);
    for (const v of victims) clients.stop(v);
    const detected = new Map();
    const until = Date.now() + 60_000;
    while (detected.size < victims.length && Date.now() < until) {
      const res = await request(servers[servers.length - 1].base, 'GET', '/v1/health/state/critical?stale', undefined, checks);
      const now = performance.now();
      for (const c of JSON.parse(res.body)) {
        const v = victims.find((x) => x.a.Name === c.Node && c.CheckID === 'serfHealth');
        if (v && !detected.has(v.a.Name)) detected.set(v.a.Name, now - v.lastOk);
      }
      await sleep(50);
    }
    const detect = [...detected.values()].sort((a, b) => a - b);
    out.detectMs = { min: detect[0] ?? null, max: detect[detect.length - 1] ?? null, of: victims.length, seen: detect.length };
    progress(`  detect: ${detect.map((d) => `${(d / 1000).toFixed(2)} s`).join(', ')} (member_timeout 6 s)`);
    return out;
  } finally {
    clients.stopAll();
  }
}

/** Runs the membership rows; returns {rows} (a row may carry an error). */
export async function membershipCost(config, n = Number(process.env.BENCH_MEMBERS ?? 5000)) {
  const rows = [];
  const targets = (process.env.BENCH_MEMBERSHIP_TARGETS ?? 'embedded,etcd').split(',');
  if (targets.includes('embedded')) await embeddedRow(rows, n, config);
  if (targets.includes('etcd')) await etcdRow(rows, n, config);
  return { rows };
}

async function embeddedRow(rows, n, config) {
  // The baseline first: one embedded server, leases in process.
  progress('membership: starting one embedded Praetor server (the baseline)…');
  const single = await startServer('bench-embedded', ['-bootstrap']);
  try {
    await waitForLeader(single.base, single.proc, 60_000);
    rows.push(await measureTarget('praetor, embedded (1 server)', [single], [], n, config));
  } catch (err) {
    progress(`  ERROR: ${err.stack}\n${single.proc.logTail(10)}`);
    rows.push({ target: 'praetor, embedded (1 server)', error: err.message.split('\n')[0] });
  } finally {
    await single.proc.stop();
  }
}

async function etcdRow(rows, n, config) {
  if (!etcdAvailable()) {
    rows.push({ target: 'praetor, etcd (3 servers)', error: 'etcd is not on PATH (Debian: apt-get install etcd-server)' });
    return;
  }
  progress('membership: starting 3 etcd members and 3 Praetor servers…');
  const etcd = await startEtcdCluster({ dataDir: makeTmpDir('bench-members-etcd-') });
  const servers = [];
  try {
    await etcd.healthy(60_000);
    for (let i = 1; i <= 3; i++) servers.push(await startServer(`bench-s${i}`, ['-store', 'etcd', '-etcd-endpoints', etcd.endpoints]));
    for (const s of servers) await waitForLeader(s.base, s.proc, 60_000);
    rows.push(await measureTarget('praetor, etcd (3 servers)', servers, etcd.members.map((m) => m.pid()).filter(Boolean), n, config));
  } catch (err) {
    progress(`  ERROR: ${err.stack}\n${servers.map((s) => s.proc.logTail(10)).join('\n')}`);
    rows.push({ target: 'praetor, etcd (3 servers)', error: err.message.split('\n')[0] });
  } finally {
    await Promise.all(servers.map((s) => s.proc.stop()));
    await etcd.stop();
  }
}

const f = (v, d = 1) => (v == null ? '—' : v.toFixed(d));
const cpus = (list) => (list.length === 0 ? '—' : list.map((c) => (c == null ? '?' : `${Math.round(c * 100)}%`)).join(' / '));

export function formatMembership(r) {
  const lines = [
    '| target | members | all alive after (s) | heartbeats/s | p50 ms | p99 ms | errors | server CPU | etcd CPU | detect (s) | GET members p50 / p99 ms (size) |',
    '|---|---:|---:|---:|---:|---:|---:|---|---|---|---|',
  ];
  for (const row of r.rows) {
    if (row.error) {
      lines.push(`| ${row.target} | not measured: ${row.error} |||||||||`);
      continue;
    }
    const d = row.detectMs;
    lines.push(`| ${row.target} | ${row.members} | ${f(row.rampS)} | ${Math.round(row.heartbeatsPerS)} | ${f(row.p50, 2)} | ${f(row.p99, 2)} | ${row.errors}${row.errors ? ' ERROR' : ''} | ${cpus(row.serverCpu)} | ${cpus(row.etcdCpu)} | ${f(d.min / 1000, 2)}–${f(d.max / 1000, 2)} (${d.seen}/${d.of}) | ${f(row.membersP50)} / ${f(row.membersP99)} (${Math.round(row.membersBytes / 1024)} KB) |`);
  }
  lines.push('', `member_timeout 6 s (default), heartbeat every 2 s; first heartbeats spread over ${ATTACH_S} s (all alive after: from the first one); detect = last answered heartbeat → serfHealth critical seen (polled every 50 ms). CPU: share of one core over the measured window.`);
  return lines.join('\n');
}
