// The DNS rows of `npm run bench`: queries/s and latency of the same questions to Praetor and
// to Consul 1.8.7 (same run, each target alone), over UDP with an EDNS0 size of 1232 (what dig
// and current resolvers send). Also runs alone: `node bench/lib/dns-bench.js` (after a build).
import dgram from 'node:dgram';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import { forEachLimited, must } from './http.js';
import { percentile } from './load.js';
import { progress, sleep } from './log.js';
import { installExitHandlers, stopAll } from './procs.js';
import { removeTmpDirs, startConsul, startPraetor } from './targets.js';

export const DNS_ROWS = [
  { id: 'dns-srv-10', title: 'DNS SRV, 10 inst.', name: 'web10.service.consul', type: 'SRV' },
  { id: 'dns-srv-5000', title: 'DNS SRV, 5,000 inst.', name: 'web5000.service.consul', type: 'SRV' },
  { id: 'dns-a-node', title: 'DNS A of a node', name: 'dns-node.node.consul', type: 'A' },
];

/** The goals for Praetor's rows. */
const GOAL = { p99Ms: 10, vsConsul: 3 };

const register = (base, node, addr, service) => must(base, 'PUT', '/v1/catalog/register', {
  Node: node, Address: addr, ...(service ? { Service: { ID: service, Service: service.replace(/-\d+$/, ''), Port: 8080 } } : {}),
});

/** 10 instances of web10 and 5,000 of web5000, each on its own node, and the node dns-node. */
async function setup(target) {
  const ip = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const failed = [
    ...(await forEachLimited(1, 11, 10, (i) => register(target.base, `web10-node-${i}`, ip(i), `web10-${i}`))),
    ...(await forEachLimited(1, 5001, 64, (i) => register(target.base, `web5000-node-${i}`, ip(100_000 + i), `web5000-${i}`))),
  ];
  if (failed.length) throw new Error(`${failed.length} registrations failed: ${failed[0]}`);
  await register(target.base, 'dns-node', '10.99.0.1');
}

/** A question unanswered this long counts as lost and is replaced (UDP may drop). */
const LOST_AFTER_NS = 5_000_000_000n;

/**
 * Keeps `inflight` questions outstanding on one UDP socket (a busy resolver's worth) for
 * warm-up + duration; each reply sends the next question. One Node thread generates the load,
 * so a very fast target is measured up to what that thread can send and read.
 */
export function dnsLoad(port, name, type, { durationS = 5, warmupS = 1, inflight = 8 } = {}) {
  const template = dnsPacket.encode({
    type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232 }],
  });
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const sentAt = new Map();
    const latencies = [];
    let nextId = 0;
    let measuring = false;
    let stopped = false;
    let answers = 0;
    let replies = 0;
    let failures = 0;
    let lost = 0;
    const send = () => {
      if (stopped) return;
      nextId = (nextId + 1) & 0xffff;
      while (sentAt.has(nextId)) nextId = (nextId + 1) & 0xffff;
      const msg = Buffer.from(template);
      msg.writeUInt16BE(nextId, 0);
      sentAt.set(nextId, process.hrtime.bigint());
      socket.send(msg, port, '127.0.0.1');
    };
    socket.on('message', (msg) => {
      if (msg.length < 12) return;
      const id = msg.readUInt16BE(0);
      const start = sentAt.get(id);
      if (start === undefined) return;
      sentAt.delete(id);
      if (measuring) {
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        replies++;
        answers += msg.readUInt16BE(6);
        if ((msg[3] & 0xf) !== 0) failures++;
      }
      send();
    });
    const reaper = setInterval(() => {
      const now = process.hrtime.bigint();
      for (const [id, t] of sentAt) {
        if (now - t < LOST_AFTER_NS) continue;
        sentAt.delete(id);
        if (measuring) lost++;
        send();
      }
    }, 200);
    socket.bind(0, '127.0.0.1', () => {
      for (let i = 0; i < inflight; i++) send();
    });
    setTimeout(() => {
      measuring = true;
      setTimeout(() => {
        measuring = false;
        stopped = true;
        clearInterval(reaper);
        socket.close();
        latencies.sort((a, b) => a - b);
        resolve({
          qps: replies / durationS,
          p50: percentile(latencies, 0.5),
          p99: percentile(latencies, 0.99),
          answersPerReply: replies ? answers / replies : 0,
          failures,
          lost,
        });
      }, durationS * 1000);
    }, warmupS * 1000);
  });
}

/** Starts each target alone, registers the catalog, measures every row, stops it. */
export async function runDnsBench(targets, opts = {}) {
  const starters = { consul: startConsul, praetor: startPraetor };
  const rows = [];
  for (const name of ['consul', 'praetor']) {
    if (!targets.includes(name)) continue;
    let target;
    try {
      progress(`DNS: starting ${name}…`);
      target = await starters[name]();
      await setup(target);
      await sleep(500);
      for (const r of DNS_ROWS) {
        progress(`${r.title}: ${name}…`);
        const m = await dnsLoad(target.dnsPort, r.name, r.type, opts);
        progress(`  ${Math.round(m.qps)} q/s, p50 ${m.p50?.toFixed(2)} ms, p99 ${m.p99?.toFixed(2)} ms, ${m.answersPerReply.toFixed(1)} answers/reply`);
        rows.push({ ...r, target: name, status: 'ok', ...m });
        await sleep(1000); // let the target drain before the next row
      }
    } catch (err) {
      progress(`DNS: ${name} not measured: ${err.message}`);
      for (const r of DNS_ROWS) rows.push({ ...r, target: name, status: 'n/a', note: String(err.message).split('\n')[0] });
    } finally {
      await target?.stop();
    }
  }
  for (const row of rows.filter((r) => r.target === 'praetor' && r.status === 'ok')) {
    const consul = rows.find((r) => r.id === row.id && r.target === 'consul' && r.status === 'ok');
    row.vsConsul = consul ? row.qps / consul.qps : null;
    const met = row.p99 < GOAL.p99Ms && (row.vsConsul == null || row.vsConsul >= GOAL.vsConsul);
    row.note = `${met ? 'met' : 'MISSED'} (goal p99 < ${GOAL.p99Ms} ms, ≥ ${GOAL.vsConsul}× Consul)`;
  }
  return rows;
}

export function formatDns(rows) {
  const header = ['question', 'target', 'queries/s', 'p50 ms', 'p99 ms', 'answers/reply', 'vs Consul', 'notes'];
  const num = (v, d) => (v == null ? '—' : v.toFixed(d));
  const body = [...rows]
    .sort((a, b) => DNS_ROWS.findIndex((r) => r.id === a.id) - DNS_ROWS.findIndex((r) => r.id === b.id) || (a.target === 'praetor' ? -1 : 1))
    .map((r) => (r.status !== 'ok'
      ? [r.title, r.target, 'n/a', 'n/a', 'n/a', 'n/a', '', r.note ?? '']
      : [r.title, r.target, String(Math.round(r.qps)), num(r.p50, 2), num(r.p99, 2), num(r.answersPerReply, 1), r.vsConsul == null ? '' : `${r.vsConsul.toFixed(2)}×`,
        [r.note, r.failures ? `ERROR: ${r.failures} non-NOERROR` : '', r.lost ? `${r.lost} lost` : ''].filter(Boolean).join('; ')]));
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((l) => [...l[c]].length)));
  const right = new Set([2, 3, 4, 5, 6]);
  const fmt = (l) => l.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ').trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(fmt)].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cleanup = async () => {
    await stopAll();
    removeTmpDirs();
  };
  installExitHandlers(cleanup);
  const targets = (process.env.BENCH_TARGETS ?? 'praetor,consul').split(',');
  runDnsBench(targets)
    .then((rows) => process.stdout.write(`\nDNS (UDP, EDNS0 1232, 8 questions in flight)\n\n${formatDns(rows)}\n\n`))
    .catch((err) => process.stderr.write(`dns bench failed: ${err.stack ?? err}\n`))
    .finally(cleanup);
}
