import { expect } from 'chai';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { dirContents } from './dir-contents.js';
import { freePort, http, runPraetor, startAgent, tempDir, type AgentProcess } from './harness.js';

/** One agent per data dir, and a start that fails leaves the data dir as it was. */
describe('data dir lock and start order', function () {
  this.timeout(60000);
  let dir: string;
  let agent: AgentProcess | undefined;
  let blocker: net.Server | undefined;

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await agent?.stop('SIGKILL');
    agent = undefined;
    await new Promise((r) => (blocker ? blocker.close(r) : r(undefined)));
    blocker = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const args = (...more: string[]) => ['-server', '-bootstrap', `-data-dir=${dir}`, '-node=locked', '-log-level=warn', ...more];
  const put = (key: string) => http(`${agent!.url}/v1/kv/${key}`, { method: 'PUT', body: 'v' });

  it('a second agent on the same data dir exits 1 naming the holder, before touching any file', async () => {
    agent = await startAgent(args());
    expect((await put('a')).status).to.equal(200);
    const before = dirContents(dir);
    const second = await runPraetor(['agent', ...args('-http-port=0')]);
    expect(second.code).to.equal(1);
    expect(second.stdout + second.stderr).to.contain(`in use by another agent (pid ${agent.proc.pid}`);
    expect(dirContents(dir)).to.deep.equal(before);
    // The first agent is unharmed.
    expect((await put('b')).status).to.equal(200);
  });

  it('takes over the lock of an agent killed with SIGKILL, and of a pid now used by another process', async () => {
    agent = await startAgent(args());
    await put('a');
    await agent.stop('SIGKILL');
    expect(fs.existsSync(path.join(dir, 'agent.lock')), 'the killed agent left its lock').to.equal(true);
    agent = await startAgent(args());
    expect((await http(`${agent.url}/v1/kv/a`)).status).to.equal(200);
    await agent.stop('SIGKILL');
    // The pid in the lock now belongs to a live process that is not that agent (its start time differs).
    fs.writeFileSync(path.join(dir, 'agent.lock'), `${process.pid} 1\n`);
    agent = await startAgent(args());
    expect((await http(`${agent.url}/v1/kv/a`)).status).to.equal(200);
    await agent.stop('SIGTERM');
    expect(fs.existsSync(path.join(dir, 'agent.lock')), 'a clean stop releases the lock').to.equal(false);
  });

  it('a start that fails (its port is taken) leaves the data dir byte for byte as it was', async () => {
    agent = await startAgent(args());
    for (let i = 0; i < 20; i++) await put(`k${i}`);
    // Stopped cleanly (so no stale lock is left, which a start would remove): the log still holds
    // records that a start compacts into a snapshot once it is up.
    expect(await agent.stop('SIGTERM')).to.equal(0);
    agent = undefined;
    expect(fs.readdirSync(path.join(dir, 'state')).some((f) => f.startsWith('snapshot-'))).to.equal(false);
    const port = await freePort();
    blocker = net.createServer();
    await new Promise<void>((r) => blocker!.listen(port, '127.0.0.1', r));
    const before = dirContents(dir);
    const run = await runPraetor(['agent', ...args(`-http-port=${port}`)]);
    expect(run.code).to.equal(1);
    expect(run.stdout + run.stderr).to.match(/cannot listen for HTTP/);
    expect(dirContents(dir)).to.deep.equal(before);
  });
});
