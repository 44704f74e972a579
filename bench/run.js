#!/usr/bin/env node
// npm run bench: Praetor vs a real Consul 1.8.7 vs a bare node:http server, same load for
// each, one table on stdout, the same numbers in bench/results/latest.json. See README.md.
//
// Each target runs alone (started, measured, stopped) so idle processes never share the two
// cores with the one under load. Environment knobs (defaults in brackets):
//   BENCH_TARGETS=praetor,consul,bare  BENCH_DURATION=6 (s)  BENCH_WARMUP=1.5 (s)
//   BENCH_CONNECTIONS=50  BENCH_WATCHERS=10000  BENCH_TIME_LIMIT=600 (s, whole run)  BENCH_DNS=1
import os from 'node:os';
import path from 'node:path';
import { runLoad } from './lib/load.js';
import { progress } from './lib/log.js';
import { installExitHandlers, stopAll } from './lib/procs.js';
import { addRatios, formatTable, writeJson } from './lib/report.js';
import { KV_GET_BODY, SCENARIOS } from './lib/scenarios.js';
import { removeTmpDirs, ROOT, startBare, startConsul, startPraetor } from './lib/targets.js';
import { runWatchers, watcherCount } from './lib/watchers.js';
import { deregistrationReach, formatSdk, pickCost } from './lib/sdk-bench.js';
import { formatSnapshot, snapshotCost } from './lib/snapshot-bench.js';
import { etcdCost, formatEtcd } from './lib/etcd-bench.js';
import { formatDns, runDnsBench } from './lib/dns-bench.js';
import { formatMembership, membershipCost } from './lib/membership-bench.js';

const env = process.env;
const CONFIG = {
  targets: (env.BENCH_TARGETS ?? 'praetor,consul,bare').split(',').map((s) => s.trim()).filter(Boolean),
  durationS: Number(env.BENCH_DURATION ?? 6),
  warmupS: Number(env.BENCH_WARMUP ?? 1.5),
  connections: Number(env.BENCH_CONNECTIONS ?? 50),
  watchersWanted: Number(env.BENCH_WATCHERS ?? 10000),
  timeLimitS: Number(env.BENCH_TIME_LIMIT ?? 600),
};
const ORDER = ['bare', 'consul', 'praetor']; // the table lists praetor first; runs go cheapest first
const STARTERS = { bare: () => startBare(KV_GET_BODY), consul: startConsul, praetor: startPraetor };
const RESULTS_FILE = path.join(ROOT, 'bench/results/latest.json');

async function cleanup() {
  await stopAll();
  removeTmpDirs();
}

/** `npm run bench -- membership`: that table alone. */
const TABLES = { membership: runMembership };

async function runMembership() {
  const r = await membershipCost(CONFIG);
  process.stdout.write(`Membership (simulated client agents heartbeating; baseline: one embedded server, same run)\n\n${formatMembership(r)}\n\n`);
  return r;
}

async function main() {
  installExitHandlers(cleanup);
  const only = process.argv.slice(2);
  if (only.length > 0) {
    const unknown = only.filter((t) => !TABLES[t]);
    if (unknown.length > 0) throw new Error(`unknown table ${unknown.join(', ')}: run all (no argument) or one of ${Object.keys(TABLES).join(', ')}`);
    for (const t of only) await TABLES[t]();
    await cleanup();
    return;
  }
  const loadAtStart = os.loadavg()[0];
  progress(`load average (1 min) at start: ${loadAtStart.toFixed(2)} on ${os.cpus().length} CPUs`
    + (loadAtStart > 0.5 ? ' — other work is running on this machine; expect noisy numbers' : ''));
  const watchdog = setTimeout(() => {
    progress(`time limit of ${CONFIG.timeLimitS} s reached; stopping`);
    cleanup().finally(() => process.exit(1));
  }, CONFIG.timeLimitS * 1000);
  watchdog.unref();

  const watch = watcherCount(CONFIG.watchersWanted);
  if (watch.note) progress(`NOTE: ${watch.note}`);
  const rowsByKey = new Map();
  const targetInfo = {};

  for (const name of ORDER) {
    const scenarios = SCENARIOS.filter((s) => s.targets.includes(name));
    if (!CONFIG.targets.includes(name)) {
      targetInfo[name] = { available: false, note: 'skipped (BENCH_TARGETS)' };
      for (const s of scenarios) rowsByKey.set(`${s.id}/${name}`, naRow(s, name, watch, 'skipped (BENCH_TARGETS)'));
      continue;
    }
    progress(`starting ${name}…`);
    let target;
    try {
      target = await STARTERS[name]();
      targetInfo[name] = { available: true, version: target.version, base: target.base, ...(target.note ? { note: target.note } : {}) };
      progress(`${name} up at ${target.base} (${target.version})`);
    } catch (err) {
      const note = firstLine(err.message);
      progress(`NOTE: ${name} is not available: ${err.message}`);
      targetInfo[name] = { available: false, note: err.message };
      for (const s of scenarios) rowsByKey.set(`${s.id}/${name}`, naRow(s, name, watch, `${name} not available: ${note}`));
      continue;
    }
    try {
      for (const s of scenarios) {
        rowsByKey.set(`${s.id}/${name}`, await measure(s, target, watch));
      }
    } finally {
      progress(`stopping ${name}…`);
      const exit = target.proc.exitInfo;
      await target.stop();
      if (exit) progress(`NOTE: ${name} had exited by itself during the run: ${JSON.stringify(exit)}`);
    }
  }

  // Table order: by scenario, praetor then consul then bare.
  const rows = [];
  for (const s of SCENARIOS) {
    for (const name of ['praetor', 'consul', 'bare']) {
      const row = rowsByKey.get(`${s.id}/${name}`);
      if (row) rows.push(row);
    }
  }
  addRatios(rows);

  const settings = `${CONFIG.connections} connections, ${CONFIG.warmupS} s warm-up + ${CONFIG.durationS} s per row; `
    + `${watch.count} watchers; ${os.cpus().length} CPUs, node ${process.version}; `
    + `load avg at start ${loadAtStart.toFixed(2)}, at end ${os.loadavg()[0].toFixed(2)}`;
  process.stdout.write(`\nPraetor bench (${settings})\n\n${formatTable(rows)}\n\n`);
  process.stdout.write('vs Consul: Praetor req/s ÷ Consul req/s; for the watcher row Consul time-to-100% ÷ Praetor\'s (>1 = Praetor faster).\n'
    + 'vs bare: req/s as a share of the bare node:http server (KV GET only). Watcher row: p50/p99 = ms until 50%/99% of watchers had the change.\n');

  // The SDK rows: deregistration reach against Praetor and Consul (same run), and pick cost.
  const sdk = { reach: [], picks: [] };
  if (env.BENCH_SDK !== '0') {
    for (const name of ['praetor', 'consul']) {
      if (!CONFIG.targets.includes(name) || !targetInfo[name]?.available) continue;
      const target = await STARTERS[name]();
      try {
        sdk.reach.push(await deregistrationReach(target));
      } catch (err) {
        sdk.reach.push({ target: name, error: firstLine(err.message) });
      } finally {
        await target.stop();
      }
    }
    sdk.picks = pickCost();
    process.stdout.write(`SDK (@praetor/sdk, @praetor/sd-loadbalancer)\n\n${formatSdk(sdk.reach, sdk.picks)}\n\n`);
  }

  // The snapshot rows: GET/PUT /v1/snapshot and restarts at 100k services (Praetor only).
  let snapshots = null;
  if (env.BENCH_SNAPSHOT !== '0' && CONFIG.targets.includes('praetor') && targetInfo.praetor?.available) {
    try {
      snapshots = await snapshotCost({ services: Number(env.BENCH_SNAPSHOT_SERVICES ?? 100_000) });
    } catch (err) {
      snapshots = { error: firstLine(err.message) };
    }
    process.stdout.write(`Snapshots (Praetor, durable)\n\n${formatSnapshot(snapshots)}\n\n`);
  }

  // The HA rows: three Praetor servers on a three-member etcd cluster, next to etcd itself.
  let ha = null;
  if (env.BENCH_ETCD !== '0' && CONFIG.targets.includes('praetor')) {
    try {
      ha = await etcdCost(CONFIG);
    } catch (err) {
      ha = { error: firstLine(err.message) };
    }
    process.stdout.write(`High availability (3 etcd members + 3 Praetor servers, -store etcd)\n\n${formatEtcd(ha)}\n\n`);
  }
  // The membership rows: 5,000 simulated clients heartbeating (3 servers on etcd, and one embedded).
  let membership = null;
  if (env.BENCH_MEMBERSHIP !== '0' && CONFIG.targets.includes('praetor')) {
    try {
      membership = await runMembership();
    } catch (err) {
      membership = { error: firstLine(err.message) };
    }
  }
  // The DNS rows: SRV of 10 and 5,000 instances, A of a node (Praetor and Consul, same run).
  const dns = env.BENCH_DNS === '0' ? null : await runDnsBench(CONFIG.targets);
  if (dns) process.stdout.write(`DNS (UDP, EDNS0 1232, 8 questions in flight)\n\n${formatDns(dns)}\n\n`);

  writeJson(RESULTS_FILE, {
    sdk,
    dns,
    snapshots,
    ha,
    membership,
    finishedAt: new Date().toISOString(),
    settings: { ...CONFIG, loadavgAtStart: loadAtStart, loadavgAtEnd: os.loadavg()[0], watchers: watch.count, openFilesLimit: watch.limit, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
    targets: targetInfo,
    rows,
  });
  progress(`results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  clearTimeout(watchdog);
}

async function measure(s, target, watch) {
  const row = { scenario: s.id, title: titleOf(s, watch), target: target.name, status: 'ok', notes: [], loadavg1: os.loadavg()[0] };
  if (target.proc.exitInfo) {
    return { ...row, status: 'error', notes: [`${target.name} exited earlier: ${JSON.stringify(target.proc.exitInfo)}`] };
  }
  progress(`${s.title}: ${target.name}…`);
  try {
    if (s.setup) await s.setup(target);
    if (s.watchers) {
      const w = await runWatchers(target.base, watch.count);
      Object.assign(row, { kind: 'watch', p50: w.t50, p99: w.t99, t100: w.t100, watch: w, non2xx: w.non2xx, errors: w.errors });
      row.notes.push(`100%: ${w.t100 == null ? 'not reached' : `${w.t100.toFixed(1)} ms`}`, `PUT ${w.putMs.toFixed(1)} ms`);
      if (watch.note) row.notes.push(watch.note);
      if (w.early) row.notes.push(`ERROR: ${w.early} answered before the change (not parked)`);
      if (w.unanswered) row.notes.push(`ERROR: ${w.unanswered} got no answer within 30 s`);
      if (w.non2xx) row.notes.push(`ERROR: non-2xx: ${w.non2xx}`);
      if (w.errors) row.notes.push(`ERROR: socket errors: ${w.errors} ${JSON.stringify(w.errorKinds)}`);
      progress(`  50%: ${fmtMs(w.t50)}, 99%: ${fmtMs(w.t99)}, 100%: ${fmtMs(w.t100)} (PUT ${w.putMs.toFixed(1)} ms)`);
    } else {
      const r = await runLoad(target.base, s.load(), CONFIG);
      Object.assign(row, { kind: 'load', ...r });
      const bad = Object.entries(r.statusCodes).filter(([c]) => c < 200 || c > 299).map(([c, n]) => `${c}×${n}`);
      if (r.non2xx) row.notes.push(`ERROR: non-2xx: ${r.non2xx} (${bad.join(', ')})`);
      if (r.errors) row.notes.push(`ERROR: errors: ${r.errors} (timeouts ${r.timeouts})`);
      if (r.ok === 0) row.notes.push('ERROR: no 2xx answer at all');
      progress(`  ${Math.round(r.rps)} req/s, p50 ${fmtMs(r.p50)}, p99 ${fmtMs(r.p99)}, non-2xx ${r.non2xx}, errors ${r.errors}`);
    }
  } catch (err) {
    progress(`  ERROR: ${err.message}`);
    if (target.proc.exitInfo) progress(`  ${target.name} exited: ${JSON.stringify(target.proc.exitInfo)}; last output:\n${target.proc.logTail()}`);
    return { ...row, status: 'error', notes: [`ERROR: ${firstLine(err.message)}`] };
  }
  return row;
}

function naRow(s, target, watch, note) {
  return { scenario: s.id, title: titleOf(s, watch), target, status: 'n/a', notes: [note] };
}

const titleOf = (s, watch) => (s.watchers ? `one change → ${watch.count} watchers` : s.title);

const fmtMs = (v) => (v == null ? '—' : `${v.toFixed(2)} ms`);
const firstLine = (s) => String(s).split('\n')[0].slice(0, 160);

main().catch(async (err) => {
  process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
  await cleanup();
  process.exit(1);
});
