import { expect } from 'chai';
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { PRAETOR_BIN, startAgent, tempDir, type AgentProcess } from '../integration/harness.js';
import { dataDirProblems, listing, whenFileAppears } from './crash-files.js';
import { CrashModel } from './crash-model.js';
import { isKillError, observe, prng, WRITERS, writer } from './crash-workload.js';
import { FuzzClient } from './fuzz-client.js';
import { fuzzConfig, progress, replayHint } from './fuzz-config.js';

type Mode = 'writes' | 'log-snapshot' | 'restore' | 'startup';
interface Plan {
  mode: Mode;
  /** Kill at this time, or (onFile) this long after the file being watched for appears. */
  killAfterMs: number;
  onFile: boolean;
  restoreAfterMs: number;
  valueSeed: number;
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  // log-snapshot writes 64 MiB each time (the log's snapshot threshold): the slowest, so the rarest.
  mode: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<Mode>('writes', 'restore', 'startup') },
    { weight: 1, arbitrary: fc.constant<Mode>('log-snapshot') },
  ),
  killAfterMs: fc.integer({ min: 20, max: 1200 }),
  onFile: fc.boolean(),
  restoreAfterMs: fc.integer({ min: 0, max: 400 }),
  valueSeed: fc.integer(),
});

/** What a kill-on-file plan waits for: a snapshot being written, or a restore being swapped in. */
const SNAPSHOT_TMP = /^snapshot-\d+\.json\.tmp$/;
const RESTORE_DIR = /^state\.(restore|old)$/;
/** The log snapshots itself at 64 MiB: 500 kB values get there in a few seconds. */
const BIG_VALUE = 500_000;
/** A kill-on-file plan kills at this point at the latest (64 MiB of writes take seconds on a busy machine). */
const FILE_WAIT_CAP_MS = 20_000;
/** Start-up snapshots come within a second or two, when they come (after a replay). */
const STARTUP_WAIT_CAP_MS = 4_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Marks a promise as observed now (it is awaited later, after the kill): no unhandled-rejection noise. */
function later<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * kill -9 at random moments: during KV and txn writes, during the log's own snapshots (large
 * values fill a segment; every start after a replay snapshots too), while GET /v1/snapshot is
 * read, during PUT /v1/snapshot restores, and during start-up. After each restart: the agent
 * starts, every acknowledged write is there with its ModifyIndex, and no file is half-written.
 */
describe('crash fuzz: kill -9 during writes, snapshots, restores and start-up', function () {
  const cfg = fuzzConfig();
  this.timeout(60_000 + cfg.crashes * 8_000);
  let dir: string | undefined;
  let agent: AgentProcess | undefined;
  let client: FuzzClient | undefined;
  const strays: Array<ReturnType<typeof spawn>> = [];

  afterEach(async () => {
    client?.close();
    client = undefined;
    await agent?.stop('SIGKILL');
    agent = undefined;
    for (const p of strays) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it(`${cfg.crashes} kill -9 iterations lose no acknowledged write and leave no half-written file`, async () => {
    dir = tempDir('praetor-fuzz-crash-');
    const args = ['-server', '-bootstrap', `-data-dir=${dir}`, '-node=crash', '-log-level=warn'];
    const model = new CrashModel();
    const tally: Record<Mode, number> = { writes: 0, 'log-snapshot': 0, restore: 0, startup: 0 };
    /** Kills that landed while a watched file was being written (a snapshot, a restore swap). */
    const fileHits: Record<string, number> = {};
    /** Kills `proc` `ms` after `pattern` appears in the data dir (or at the cap); resolves when it is dead. */
    const killOnFile = (kill: () => unknown, pattern: RegExp, ms: number, capMs = FILE_WAIT_CAP_MS) =>
      new Promise<void>((resolve) => {
        const cap = setTimeout(() => {
          stop();
          void Promise.resolve(kill()).then(() => resolve());
        }, capMs);
        const stop = whenFileAppears(dir!, pattern, (name) => {
          clearTimeout(cap);
          const kind = name.replace(/\d+/g, 'N');
          fileHits[kind] = (fileHits[kind] ?? 0) + 1;
          setTimeout(() => void Promise.resolve(kill()).then(() => resolve()), ms);
        });
      });
    let acked = 0;

    /** Starts the agent on the data dir and checks it against the model and the files. */
    const restartAndCheck = async (after: string) => {
      agent = await startAgent(args, { timeoutMs: 30_000 }).catch((err: Error) => {
        throw new Error(`the agent did not start again after ${after}: ${err.message}\n${listing(dir!)}`);
      });
      client = new FuzzClient(agent.host, agent.port, WRITERS + 2);
      const files = await dataDirProblems(dir!);
      const lost = model.check(await observe(client));
      if (files.length > 0 || lost.length > 0) throw new Error(`after ${after}:\n${[...lost, ...files].join('\n')}\n${listing(dir!)}\n${agent.output().slice(-2000)}`);
    };

    // log-snapshot iterations write 64 MiB each: a few per run (one per ten iterations, at least two).
    let logSnapshotsLeft = Math.max(2, Math.floor(cfg.crashes / 10));
    const iteration = async (generated: Plan, i: number) => {
      const plan: Plan = generated.mode === 'log-snapshot' && logSnapshotsLeft-- <= 0 ? { ...generated, mode: 'writes' } : generated;
      tally[plan.mode]++;
      const what = `iteration ${i} (${JSON.stringify(plan)})`;
      if (plan.mode === 'startup') {
        // Some writes, kill -9, then killed again while it opens the data dir: replaying the log
        // and writing the snapshot that follows a replay.
        let stop = false;
        const burst = Array.from({ length: WRITERS }, (_, w) => writer(client!, model, w, 64, prng(plan.valueSeed), () => stop));
        await sleep(150);
        await agent!.stop('SIGKILL');
        stop = true;
        await Promise.all(burst);
        client!.close();
        const proc = spawn(process.execPath, [PRAETOR_BIN, 'agent', ...args, '-http-port=0'], { stdio: 'ignore' });
        strays.push(proc);
        const dead = new Promise((r) => proc.once('exit', r));
        if (plan.onFile) await killOnFile(() => proc.kill('SIGKILL'), SNAPSHOT_TMP, plan.killAfterMs % 5, STARTUP_WAIT_CAP_MS);
        else {
          await sleep(plan.killAfterMs % 600);
          proc.kill('SIGKILL');
        }
        await dead;
        await restartAndCheck(what);
        return;
      }
      const c = client!;
      const a = agent!;
      const random = prng(plan.valueSeed);
      const snapModel = model.copy();
      const archive = plan.mode === 'restore' ? (await c.send({ method: 'GET', path: '/v1/snapshot', headers: {} })).body : undefined;
      let stopped = false;
      const size = plan.mode === 'log-snapshot' ? BIG_VALUE : 16 + Math.floor(random() * 2000);
      const startWriters = () => Array.from({ length: WRITERS }, (_, w) => later(writer(c, model, w, size, random, () => stopped)));
      let writers = startWriters();
      const kill = () => a.stop('SIGKILL');
      // log-snapshot: killed while the log's snapshot file is written (or soon after it appears);
      // restore, onFile: killed while the restored state is swapped in.
      const killer =
        plan.mode === 'log-snapshot' ? killOnFile(kill, SNAPSHOT_TMP, plan.killAfterMs % 10)
        : plan.mode === 'restore' && plan.onFile ? killOnFile(kill, RESTORE_DIR, plan.killAfterMs % 5)
        : sleep(plan.killAfterMs).then(kill);
      const side: Array<Promise<void>> = [];
      if (plan.mode === 'writes') {
        // GET /v1/snapshot while the writes go on.
        side.push(later((async () => {
          for (let n = 0; n < 1000 && a.proc.exitCode === null && a.proc.signalCode === null; n++) {
            const res = await c.send({ method: 'GET', path: '/v1/snapshot', headers: {} }).catch((err) => (isKillError(err) ? undefined : Promise.reject(err)));
            if (res && res.status !== 200) throw new Error(`GET /v1/snapshot answered ${res.status}`);
          }
        })()));
      }
      if (plan.mode === 'restore') {
        side.push(later((async () => {
          await sleep(plan.restoreAfterMs);
          stopped = true;
          await Promise.all(writers);
          if (a.proc.exitCode !== null || a.proc.signalCode !== null) return;
          model.restoring = snapModel;
          const res = await c.send({ method: 'PUT', path: '/v1/snapshot', headers: {}, body: archive }).catch((err) => (isKillError(err) ? undefined : Promise.reject(err)));
          if (!res) return; // killed during the restore: either state may come back, not a mix
          if (res.status !== 200) throw new Error(`PUT /v1/snapshot answered ${res.status} ${res.body.toString().slice(0, 200)}`);
          model.restored(snapModel);
          stopped = false;
          writers = startWriters();
        })()));
      }
      await killer;
      await Promise.all(side);
      await Promise.all(writers);
      client!.close();
      await restartAndCheck(what);
      acked += model.acked.size;
    };

    progress(`crash fuzz: ${cfg.crashes} iterations, PRAETOR_FUZZ_SEED=${cfg.seed}`);
    await restartAndCheck('the first start');
    let i = 0;
    const out = await fc.check(fc.asyncProperty(planArb, (plan) => iteration(plan, i++)), { seed: cfg.seed + 3, numRuns: cfg.crashes, endOnFailure: true });
    if (out.failed) throw new Error(`${replayHint('crash fuzz', cfg.seed)}\n${(out.errorInstance as Error)?.message ?? out.errorInstance}`);
    progress(`crash: ${i} kill -9 iterations ${JSON.stringify(tally)}, kills while a file was written ${JSON.stringify(fileHits)}, ${model.ackedWrites} acknowledged writes, ${acked} key checks after restarts, PRAETOR_FUZZ_SEED=${cfg.seed}`);
    expect(i).to.equal(cfg.crashes);
  });
});
