// The SDK rows of npm run bench: how long a deregistration takes to reach 100 Instancers
// (against Praetor, and against Consul as the same-run baseline), and what one balancer pick
// costs (against a bare array index as the ceiling).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import winston from 'winston';
import { request } from './http.js';
import { progress } from './log.js';
import { ROOT } from './targets.js';

const sdk = await import(pathToFileURL(path.join(ROOT, 'packages/sdk/dist/src/index.js')).href);
const lb = await import(pathToFileURL(path.join(ROOT, 'packages/sd-loadbalancer/dist/src/index.js')).href);
const silent = winston.createLogger({ silent: true });

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function within(ms, pred) {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await sleep(2);
  }
}

const register = (base, i) => request(base, 'PUT', '/v1/catalog/register', JSON.stringify({
  Node: `sdk-node-${i}`, Address: `10.9.0.${i}`,
  Service: { Service: 'sdk-bench', ID: `sdk-${i}`, Port: 8000 + i },
  Check: { CheckID: `sdk-c-${i}`, Name: 'c', Status: 'passing', ServiceID: `sdk-${i}` },
}));
const deregister = (base, i) => request(base, 'PUT', '/v1/catalog/deregister', JSON.stringify({ Node: `sdk-node-${i}` }));

/**
 * 100 ConsulInstancers (each its own client and connection) watch one service of 5 instances;
 * each round deregisters one instance and times, per Instancer, how long until its listener
 * got a set without it. Returns the distribution over all Instancers of all rounds, and of the
 * per-round time until the last Instancer knew.
 */
export async function deregistrationReach(target, { instancers = 100, rounds = 15, instances = 5 } = {}) {
  progress(`SDK: deregistration → ${instancers} Instancers: ${target.name}…`);
  for (let i = 1; i <= instances; i++) await register(target.base, i);
  const sizes = new Array(instancers).fill(-1);
  const seenAt = new Array(instancers).fill(0);
  const watchers = [];
  for (let k = 0; k < instancers; k++) {
    const client = new sdk.AxiosClient({ addresses: [target.base] });
    const inst = new sdk.ConsulInstancer(client, silent, { service: 'sdk-bench', waitMs: 30_000 });
    inst.register((e) => {
      if (e.error) return;
      sizes[k] = e.instances.length;
      seenAt[k] = performance.now();
    });
    watchers.push(inst);
  }
  const each = [];
  const all = [];
  try {
    await within(20_000, () => sizes.every((n) => n === instances));
    await sleep(200); // let every Instancer park its next blocking query
    for (let r = 0; r < rounds; r++) {
      const victim = 1 + (r % instances);
      const t0 = performance.now();
      await deregister(target.base, victim);
      await within(20_000, () => sizes.every((n) => n === instances - 1));
      for (const t of seenAt) each.push(t - t0);
      all.push(Math.max(...seenAt) - t0);
      await register(target.base, victim);
      await within(20_000, () => sizes.every((n) => n === instances));
      await sleep(100);
    }
  } finally {
    await Promise.all(watchers.map((w) => w.stop()));
  }
  each.sort((a, b) => a - b);
  all.sort((a, b) => a - b);
  return { target: target.name, instancers, rounds, p50: pct(each, 50), p99: pct(each, 99), allP50: pct(all, 50), allP99: pct(all, 99) };
}

/** Nanoseconds per pick for each balancer over 10 endpoints, and a bare `array[i++ % n]` ceiling. */
export function pickCost({ endpoints = 10, picks = 2_000_000 } = {}) {
  progress('SDK: balancer pick cost…');
  const entries = Array.from({ length: endpoints }, (_, i) => ({
    instance: sdk.instance(`10.0.0.${i + 1}:80`, { weights: { passing: 1 + (i % 3), warning: 1 } }),
    endpoint: async () => i,
  }));
  const ep = new sdk.FixedEndpointer(entries);
  const bare = entries.map((e) => e.endpoint);
  let i = 0;
  const rows = [
    ['array[i++ % n] (ceiling)', () => bare[i++ % bare.length]],
    ['RoundRobin', ((b) => () => b.endpoint())(new lb.RoundRobin(ep))],
    ['Random', ((b) => () => b.endpoint())(new lb.Random(ep))],
    ['WeightedRoundRobin', ((b) => () => b.endpoint())(new lb.WeightedRoundRobin(ep))],
    ['LeastPending (P2C)', ((b) => () => b.endpoint())(new lb.LeastPending(ep))],
  ];
  const out = [];
  for (const [name, pick] of rows) {
    for (let w = 0; w < 100_000; w++) pick(); // warm up the JIT
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < picks; k++) pick();
    const ns = Number(process.hrtime.bigint() - t0) / picks;
    out.push({ name, nsPerPick: ns });
  }
  return out;
}

export function formatSdk(reach, picks) {
  const lines = [];
  lines.push('deregistration → every Instancer | target  | per-Instancer p50 ms | p99 ms | last Instancer p50 ms | p99 ms');
  for (const r of reach) {
    if (r.error) {
      lines.push(`${'100 Instancers'.padEnd(32)} | ${r.target.padEnd(7)} | n/a: ${r.error}`);
      continue;
    }
    lines.push(`${`${r.instancers} Instancers, ${r.rounds} rounds`.padEnd(32)} | ${r.target.padEnd(7)} | ${r.p50.toFixed(2).padStart(20)} | ${r.p99.toFixed(2).padStart(6)} | ${r.allP50.toFixed(2).padStart(21)} | ${r.allP99.toFixed(2).padStart(6)}`);
  }
  lines.push('');
  lines.push('balancer pick (10 endpoints)     | ns per pick');
  for (const p of picks) lines.push(`${p.name.padEnd(32)} | ${p.nsPerPick.toFixed(1).padStart(11)}`);
  return lines.join('\n');
}
