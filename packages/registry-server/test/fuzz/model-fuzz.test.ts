import { expect } from 'chai';
import fc from 'fast-check';
import fs from 'node:fs';
import { startAgent, tempDir, type AgentProcess } from '../integration/harness.js';
import { FuzzClient } from './fuzz-client.js';
import { fuzzConfig, progress, replayHint } from './fuzz-config.js';
import { checkPartition, execute } from './model-run.js';
import { commandArb, newPartition, type PartitionModel } from './state-model.js';

/** Workers run at once, each on its own KV prefix and catalog node (so each has an exact model). */
const WORKERS = 4;
const COMMANDS = 30;

/**
 * Generated KV set/delete/cas/delete-tree, txn sets and catalog register/deregister against a
 * -data-dir agent, each checked against a model of what the accepted writes should have done;
 * after every run the agent's state must equal the model, and after kill -9 and a restart,
 * every partition of every run must still equal it.
 */
describe('state model fuzz: KV and catalog writes match a model, across kill -9', function () {
  const cfg = fuzzConfig();
  // About three requests a command; the model part gets a fifth of the request budget.
  const runs = Math.max(4, Math.ceil(cfg.requests / 5 / (WORKERS * COMMANDS * 3)));
  this.timeout(60_000 + runs * 3_000);
  let agent: AgentProcess | undefined;
  let dir: string | undefined;
  let client: FuzzClient | undefined;

  afterEach(async () => {
    client?.close();
    client = undefined;
    await agent?.stop('SIGKILL');
    agent = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it(`${runs} runs of ${WORKERS} workers x ${COMMANDS} commands: the agent answers what the model predicts, before and after a restart`, async () => {
    dir = tempDir('praetor-fuzz-model-');
    const args = ['-server', '-bootstrap', `-data-dir=${dir}`, '-node=fuzz-model', '-log-level=warn'];
    agent = await startAgent(args);
    client = new FuzzClient(agent.host, agent.port, WORKERS * 2);
    const done: PartitionModel[] = [];
    let run = 0;
    let requests = 0;
    const property = fc.asyncProperty(fc.array(fc.array(commandArb, { minLength: COMMANDS / 2, maxLength: COMMANDS }), { minLength: WORKERS, maxLength: WORKERS }), async (workers) => {
      const r = run++;
      const parts = workers.map((_, w) => newPartition(`model/r${r}w${w}/`, `fz-model-${r}-${w}`));
      await Promise.all(
        workers.map(async (cmds, w) => {
          for (const cmd of cmds) {
            await execute(client!, parts[w], cmd);
            requests += 2;
          }
          await checkPartition(client!, parts[w], `after run ${r}`);
        }),
      );
      done.push(...parts);
      if (r % 10 === 9) progress(`model: ${r + 1}/${runs} runs, ~${requests} requests`);
    });
    progress(`state model fuzz: ${runs} runs, PRAETOR_FUZZ_SEED=${cfg.seed}`);
    const out = await fc.check(property, { seed: cfg.seed + 2, numRuns: runs, endOnFailure: true });
    if (out.failed) throw new Error(`${replayHint('state model fuzz', cfg.seed)}\n${(out.errorInstance as Error)?.message ?? out.errorInstance}`);

    // Every acknowledged write is on disk: kill -9, restart, and the whole model still holds.
    expect(await agent.stop('SIGKILL')).to.equal('SIGKILL');
    client.close();
    agent = await startAgent(args);
    client = new FuzzClient(agent.host, agent.port, 8);
    for (let i = 0; i < done.length; i += 8) await Promise.all(done.slice(i, i + 8).map((p) => checkPartition(client!, p, 'after kill -9 and restart')));
    progress(`model: ${run} runs, ~${requests} requests, ${done.length} partitions checked after kill -9, PRAETOR_FUZZ_SEED=${cfg.seed}`);
  });
});
