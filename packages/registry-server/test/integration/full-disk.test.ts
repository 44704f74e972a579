import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { http, startAgent, tempDir, type AgentProcess } from './harness.js';

/**
 * A full disk under write load: every write that got a 200 is on disk; the write that hit the
 * full disk, and every one after it, gets a 500 and never a 200; the agent stops (exit 1) so that
 * a restart reloads only what is on disk. Runs on a 4 MB tmpfs that the test mounts (as root).
 */
describe('full disk', function () {
  this.timeout(120000);
  let mnt: string;
  let mounted = false;
  let agent: AgentProcess | undefined;

  beforeEach(() => {
    mnt = tempDir('praetor-tmpfs-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]);
    mounted = true;
  });
  afterEach(async () => {
    await agent?.stop('SIGKILL');
    agent = undefined;
    if (mounted) execFileSync('umount', [mnt]);
    mounted = false;
    fs.rmSync(mnt, { recursive: true, force: true });
  });

  it('answers 500, never 200, once the log cannot be written, and keeps every acknowledged write', async () => {
    const dataDir = path.join(mnt, 'data');
    const args = ['-server', '-bootstrap', `-data-dir=${dataDir}`, '-node=full', '-log-level=warn'];
    agent = await startAgent(args);
    const url = agent.url;
    const value = 'x'.repeat(2048);
    const acked = new Set<string>();
    const refusals: Array<{ status: number; text: string }> = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop && i < 4000; i++) {
        const key = `fill/w${w}/k${i}`;
        try {
          const put = await http(`${url}/v1/kv/${key}`, { method: 'PUT', body: value });
          if (put.status === 200) acked.add(key);
          else refusals.push({ status: put.status, text: put.text });
        } catch {
          return; // the agent stopped
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
    stop = true;
    const code = await Promise.race([agent.exited, new Promise((r) => setTimeout(r, 20000, 'still running').unref())]);
    expect(code, 'the agent stops after the failed write').to.equal(1);
    expect(acked.size, 'writes acknowledged before the disk was full').to.be.greaterThan(100);
    expect(refusals.length, 'writes refused').to.be.greaterThan(0);
    for (const r of refusals) {
      expect(r.status).to.equal(500);
      expect(r.text).to.match(/data dir cannot be written: ENOSPC|agent is shutting down/);
    }
    expect(refusals.some((r) => /ENOSPC/.test(r.text))).to.equal(true);
    expect(agent.output()).to.contain('the data dir can no longer be written');

    // Free space, restart: everything acknowledged is there.
    execFileSync('mount', ['-o', 'remount,size=64m', mnt]);
    agent = await startAgent(args);
    const all = await http(`${agent.url}/v1/kv/fill/?keys`);
    expect(all.status).to.equal(200);
    const stored = new Set(all.json() as string[]);
    const missing = [...acked].filter((k) => !stored.has(k));
    expect(missing, `acknowledged writes lost (of ${acked.size})`).to.deep.equal([]);
    expect((await http(`${agent.url}/v1/kv/after`, { method: 'PUT', body: 'x' })).status).to.equal(200);
  });
});
