import { expect } from 'chai';
import crypto from 'node:crypto';
import fs from 'node:fs';
import nodeHttp from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { http, runPraetor, startAgent, tempDir, type AgentProcess } from './harness.js';

/**
 * Opt-in (PRAETOR_BIG=1): a state past V8's ~512 MiB string limit, snapshotted and reloaded.
 * It writes over 1 GiB, so it is registered only when PRAETOR_BIG is set: without it mocha sees
 * no test here at all (nothing counted as skipped). Run it with
 *   PRAETOR_BIG=1 npx mocha --no-config --exit packages/registry-server/dist/test/integration/snapshot-big.test.js
 */
const KEYS = 2100;
const VALUE = 512 * 1024;

if (process.env.PRAETOR_BIG) {
  describe('a state of 1 GiB+ (PRAETOR_BIG)', function () {
    this.timeout(1_800_000);
    let dir: string;
    let agent: AgentProcess | null = null;

    before(() => {
      dir = tempDir('praetor-big-');
    });
    after(async () => {
      await agent?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const args = () => ['-server', '-bootstrap', `-data-dir=${path.join(dir, 'data')}`, '-node=big', '-log-level=warn'];
    const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

    it('is written, snapshotted (embedded file and GET /v1/snapshot) and loaded again by a restart', async () => {
      agent = await startAgent(args(), { timeoutMs: 600_000 });
      const sums = new Map<string, string>();
      for (let i = 0; i < KEYS; i++) {
        const value = crypto.randomBytes(VALUE);
        const key = `big/${String(i).padStart(5, '0')}`;
        sums.set(key, sha(value));
        const res = await http(`${agent.url}/v1/kv/${key}`, { method: 'PUT', body: value });
        expect(res.status, `${key}: ${res.text}`).to.equal(200);
      }
      // Embedded snapshots were taken along the way (every 64 MiB of log); the agent is still up.
      expect(agent.proc.exitCode).to.equal(null);
      const stateDir = path.join(dir, 'data', 'state');
      const snapFile = fs.readdirSync(stateDir).find((n) => /^snapshot-\d+\.json$/.test(n));
      expect(snapFile, fs.readdirSync(stateDir).join(' ')).to.be.a('string');

      const archive = path.join(dir, 'big.snap');
      await new Promise<void>((resolve, reject) => {
        nodeHttp
          .get(`${agent!.url}/v1/snapshot`, (res) => {
            expect(res.statusCode).to.equal(200);
            pipeline(res, fs.createWriteStream(archive)).then(resolve, reject);
          })
          .on('error', reject);
      });
      expect(fs.statSync(archive).size).to.be.greaterThan(KEYS * VALUE * 0.9);
      const inspect = await runPraetor(['snapshot', 'inspect', archive], 600_000);
      expect(inspect.code, inspect.stderr).to.equal(0);
      expect(inspect.stdout).to.match(new RegExp(`\\nkv +${KEYS}\\n`));

      await agent.stop();
      agent = await startAgent(args(), { timeoutMs: 600_000 });
      const keys = JSON.parse((await http(`${agent.url}/v1/kv/big/?keys`)).text) as string[];
      expect(keys.length).to.equal(KEYS);
      for (const key of [keys[0]!, keys[KEYS >> 1]!, keys[KEYS - 1]!]) {
        const res = await fetch(`${agent.url}/v1/kv/${key}?raw`);
        expect(sha(Buffer.from(await res.arrayBuffer())), key).to.equal(sums.get(key));
      }
    });
  });
}
