import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { dirContents } from './dir-contents.js';
import { http, runPraetor, startAgent, tempDir, type AgentProcess } from './harness.js';

/**
 * A damaged data dir is never papered over: the agent refuses to start, names the file (and
 * byte) and what to do, and changes nothing; -recover-data-dir sets the damaged files aside.
 */
describe('data dir integrity', function () {
  this.timeout(60000);
  let dir: string;
  let agent: AgentProcess | undefined;

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await agent?.stop('SIGKILL');
    agent = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const args = (...more: string[]) => ['-server', '-bootstrap', `-data-dir=${dir}`, '-node=intact', '-log-level=warn', ...more];
  const stateFiles = (re: RegExp) => fs.readdirSync(path.join(dir, 'state')).filter((f) => re.test(f));
  async function fill(n: number): Promise<void> {
    agent = await startAgent(args());
    for (let i = 0; i < n; i++) expect((await http(`${agent.url}/v1/kv/k${i}`, { method: 'PUT', body: `v${i}` })).status).to.equal(200);
    await agent.stop('SIGTERM');
    agent = undefined;
  }
  async function refused(): Promise<string> {
    const before = dirContents(dir);
    const run = await runPraetor(['agent', ...args('-http-port=0')]);
    expect(run.code).to.equal(1);
    expect(dirContents(dir), 'a refused start changes no file').to.deep.equal(before);
    return run.stdout + run.stderr;
  }

  it('refuses to start on an unreadable snapshot, naming it; -recover-data-dir keeps it aside and starts', async () => {
    await fill(5);
    // A restart compacts the log into a snapshot; then the snapshot is damaged.
    agent = await startAgent(args());
    await agent.stop('SIGTERM');
    agent = undefined;
    const [snap] = stateFiles(/^snapshot-/);
    const file = path.join(dir, 'state', snap!);
    const original = fs.readFileSync(file);
    fs.writeFileSync(file, original.subarray(0, original.length >> 1));
    const out = await refused();
    expect(out).to.contain(`the snapshot ${file} cannot be read`).and.to.contain('-recover-data-dir').and.to.contain("'praetor snapshot restore FILE'");

    agent = await startAgent(args('-recover-data-dir'));
    expect(agent.output()).to.match(/moved the damaged files into .*damaged-/);
    const [damaged] = fs.readdirSync(dir).filter((f) => f.startsWith('damaged-'));
    expect(fs.readFileSync(path.join(dir, damaged!, snap!)).length, 'kept intact').to.equal(original.length >> 1);
    expect((await http(`${agent.url}/v1/kv/after`, { method: 'PUT', body: 'x' })).status).to.equal(200);
  });

  it('refuses to start on a bad record in the middle of the log, naming file and byte, and keeps it', async () => {
    await fill(5);
    const [seg] = stateFiles(/^wal-/);
    const file = path.join(dir, 'state', seg!);
    const buf = fs.readFileSync(file);
    let off = 0;
    for (let i = 0; i < 2; i++) off += 8 + buf.readUInt32LE(off); // the third record
    buf[off + 4] ^= 0x01; // its checksum
    fs.writeFileSync(file, buf);
    const out = await refused();
    expect(out).to.contain(`log segment ${file} is damaged at byte ${off}`);
    expect(out).not.to.contain('never acknowledged');
  });

  it('keeps lock delays out of the log, and they still hold the lock back while running', async () => {
    agent = await startAgent(args());
    const session = ((await http(`${agent.url}/v1/session/create`, { method: 'PUT', body: JSON.stringify({ LockDelay: '30s' }) })).json() as { ID: string }).ID;
    expect((await http(`${agent.url}/v1/kv/lock?acquire=${session}`, { method: 'PUT', body: 'x' })).text).to.equal('true');
    await http(`${agent.url}/v1/session/destroy/${session}`, { method: 'PUT' });
    const other = ((await http(`${agent.url}/v1/session/create`, { method: 'PUT', body: '{}' })).json() as { ID: string }).ID;
    expect((await http(`${agent.url}/v1/kv/lock?acquire=${other}`, { method: 'PUT', body: 'y' })).text, 'held back by the lock delay').to.equal('false');
    await agent.stop('SIGTERM');
    agent = undefined;
    const log = stateFiles(/^wal-/).map((f) => fs.readFileSync(path.join(dir, 'state', f), 'utf8')).join('');
    expect(log).to.contain(session);
    expect(log).not.to.contain('lock-delay');
  });
});
