import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import winston from 'winston';
import { AxiosClient, ConsulLock, LockAbortedError, startTestAgent, within, type TestAgent } from '@praetor/sdk';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const praetor = path.join(path.dirname(createRequire(import.meta.url).resolve('@praetor/registry-server/package.json')), 'bin', 'praetor.js');
const log = winston.createLogger({ silent: true });

/** Non-test TypeScript sources of the packages, relative to the repository. */
function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts')) out.push(path.relative(root, f));
    }
  };
  for (const p of fs.readdirSync(path.join(root, 'packages'))) if (fs.existsSync(path.join(root, 'packages', p, 'src'))) walk(path.join(root, 'packages', p, 'src'));
  return out.sort();
}

/** Non-test TypeScript files of the repository's test code (packages' test/ folders included). */
function testHelpers(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.name === 'node_modules' || e.name === 'dist') continue;
      if (e.isDirectory()) walk(f);
      else if (f.endsWith('.ts') && !f.endsWith('.d.ts')) out.push(path.relative(root, f));
    }
  };
  for (const top of ['packages', 'examples', 'docs']) walk(path.join(root, top));
  return out.sort();
}

/** Issue 12, "Also": one lock implementation serves the SDK and `praetor lock`; one polling helper serves the tests. */
describe('issue 12: one implementation each (the lock, within())', function () {
  this.timeout(60_000);
  let agent: TestAgent;
  before(async () => (agent = await startTestAgent()));
  after(() => agent?.stop());

  it('the lock flags are defined once, and no CLI file creates or renews sessions itself', () => {
    const files = sources().map((f) => ({ f, text: fs.readFileSync(path.join(root, f), 'utf8') }));
    expect(files.filter(({ text }) => /LOCK_FLAG_VALUE\s*=/.test(text)).map(({ f }) => f)).to.deep.equal(['packages/sdk/src/lock/lock-flags.ts']);
    const cli = files.filter(({ f }) => f.startsWith('packages/registry-server/src/cli/'));
    // Sessions are created and renewed by the SDK's SessionKeeper: the CLI names those calls only in its adapter.
    expect(cli.filter(({ text }) => /session\/renew|session\/create/.test(text)).map(({ f }) => f)).to.deep.equal(['packages/registry-server/src/cli/lock-client.ts']);
  });

  it('praetor lock and an SDK ConsulLock on one key exclude each other', async () => {
    const child = spawn(process.execPath, [praetor, 'lock', `-http-addr=${agent.host}:${agent.port}`, 'shared', 'echo started; sleep 30'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise((r) => child.once('exit', r));
    const lock = new ConsulLock(new AxiosClient({ addresses: [agent.url] }), log, { key: 'shared/.lock', lockDelay: '0s' });
    try {
      await within(10_000, () => out.includes('started'), 'praetor lock running its child');
      const err = await lock.acquire({ timeoutMs: 1000 }).then(() => null, (e: Error) => e);
      expect(err, 'the SDK lock waits while praetor lock holds the key').to.be.instanceOf(LockAbortedError);
      child.kill('SIGTERM');
      await exited;
      const held = await lock.acquire({ timeoutMs: 10_000 });
      expect(held.aborted).to.equal(false);
    } finally {
      child.kill('SIGKILL');
      await lock.destroy();
    }
  });

  it('within() and freePort() are implemented once, in @praetor/test-support', () => {
    const own = (name: string) =>
      testHelpers().filter((f) => {
        const text = fs.readFileSync(path.join(root, f), 'utf8');
        return new RegExp(`function ${name}\\b`).test(text) && !text.includes("from '@praetor/test-support'");
      });
    expect(own('within')).to.deep.equal(['packages/test-support/src/within.ts']);
    expect(own('freePort')).to.deep.equal(['packages/test-support/src/within.ts']);
  });
});
