import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PRAETOR_BIN, runPraetor, startAgent, tempDir, within, type AgentProcess } from './harness.js';

/** `praetor lock` as real processes against a real agent. */
describe('praetor lock', function () {
  this.timeout(60000);
  let agent: AgentProcess;
  let dir: string;
  const running: ChildProcess[] = [];

  before(async () => {
    dir = tempDir();
    fs.writeFileSync(path.join(dir, 'ttl.json'), JSON.stringify({ session_ttl_min: '1s' }));
    agent = await startAgent(['-dev', `-config-file=${path.join(dir, 'ttl.json')}`, '-http-port=0']);
  });
  afterEach(() => {
    // Each lock runs in its own process group, so its child shell goes with it.
    for (const p of running.splice(0)) if (p.exitCode === null && p.signalCode === null) process.kill(-p.pid!, 'SIGKILL');
  });
  after(async () => {
    await agent?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Starts `praetor lock ARGS` in the background, in its own process group. */
  function lock(args: string[]): { proc: ChildProcess; exit: Promise<number | null>; output: () => string } {
    const proc = spawn(process.execPath, [PRAETOR_BIN, 'lock', `-http-addr=${agent.host}:${agent.port}`, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(proc);
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    return { proc, exit: new Promise((resolve) => proc.once('exit', (code) => resolve(code))), output: () => out };
  }
  const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);

  it('two contending locks: exactly one child runs at a time, and both run', async () => {
    const log = path.join(dir, 'contention.log');
    const child = (name: string) => `echo "start ${name}" >> ${log}; sleep 1; echo "end ${name}" >> ${log}`;
    const a = lock(['contend', child('a')]);
    const b = lock(['contend', child('b')]);
    expect(await a.exit, a.output()).to.equal(0);
    expect(await b.exit, b.output()).to.equal(0);
    const events = lines(log);
    expect(events).to.have.length(4);
    // Never two starts in a row: each child ends before the other starts.
    const [first, second] = [events[0]!.split(' ')[1], events[2]!.split(' ')[1]];
    expect(events).to.deep.equal([`start ${first}`, `end ${first}`, `start ${second}`, `end ${second}`]);
    expect(new Set([first, second])).to.deep.equal(new Set(['a', 'b']));
  });

  it('-n=2 is a semaphore: at most two children at a time, all run; a different -n is refused', async () => {
    const log = path.join(dir, 'semaphore.log');
    const child = (name: string) => `echo "start ${name}" >> ${log}; sleep 1.5; echo "end ${name}" >> ${log}`;
    const runs = ['a', 'b', 'c'].map((n) => lock(['-n=2', 'pool', child(n)]));
    await within(10000, () => lines(log).filter((l) => l.startsWith('start')).length >= 2);
    const conflict = await runPraetor(['lock', `-http-addr=${agent.host}:${agent.port}`, '-n=3', 'pool', 'true']);
    expect(conflict.code).to.equal(1);
    expect(conflict.stderr).to.include('Semaphore limit conflict (lock: 2, local: 3)');
    for (const r of runs) expect(await r.exit, r.output()).to.equal(0);
    let inside = 0;
    let most = 0;
    for (const l of lines(log)) {
      inside += l.startsWith('start') ? 1 : -1;
      most = Math.max(most, inside);
    }
    expect(most).to.equal(2);
    expect(lines(log).filter((l) => l.startsWith('end'))).to.have.length(3);
    const left = (await (await fetch(`${agent.url}/v1/kv/pool/?recurse`)).json()) as Array<{ Key: string; Value: string }>;
    expect(left.map((e) => e.Key)).to.deep.equal(['pool/.lock'], 'contender keys are deleted');
    expect(JSON.parse(Buffer.from(left[0]!.Value, 'base64').toString())).to.deep.equal({ Limit: 2, Holders: {} });
  });

  it('the child sees CONSUL_LOCK_HELD=true; with -child-exit-code a failing child exits 2', async () => {
    const out = path.join(dir, 'env.txt');
    const ok = lock(['env', `echo $CONSUL_LOCK_HELD > ${out}`]);
    expect(await ok.exit).to.equal(0);
    expect(fs.readFileSync(out, 'utf8').trim()).to.equal('true');
    expect(await lock(['env', 'exit 3']).exit).to.equal(0);
    expect(await lock(['-child-exit-code', 'env', 'exit 3']).exit).to.equal(2);
  });

  it('killing the holder with SIGKILL frees the lock once its session TTL and lock-delay run out', async () => {
    const marker = path.join(dir, 'killed.txt');
    const holder = lock(['-session-ttl=1s', '-lock-delay=1s', 'killed', 'sleep 60']);
    await within(10000, async () => ((await fetch(`${agent.url}/v1/kv/killed/.lock`)).ok ? ((await (await fetch(`${agent.url}/v1/kv/killed/.lock`)).json()) as Array<{ Session?: string }>)[0]?.Session : undefined));
    const waiter = lock(['killed', `echo got it > ${marker}`]);
    await new Promise((r) => setTimeout(r, 500));
    expect(fs.existsSync(marker), 'the waiter waits while the holder lives').to.equal(false);
    process.kill(-holder.proc.pid!, 'SIGKILL');
    // Session TTL 1s (invalidated within 2 x TTL), then the 1s lock-delay, then the waiter's retry.
    expect(await waiter.exit, waiter.output()).to.equal(0);
    expect(fs.readFileSync(marker, 'utf8').trim()).to.equal('got it');
  });

  it('SIGTERM to the holder stops its child and releases the lock at once', async () => {
    const started = path.join(dir, 'term-started.txt');
    const holder = lock(['term', `echo up > ${started}; sleep 60`]);
    await within(10000, () => fs.existsSync(started));
    holder.proc.kill('SIGTERM');
    expect(await holder.exit).to.equal(0);
    expect(holder.output()).to.include('Shutdown triggered, killing child');
    const res = (await (await fetch(`${agent.url}/v1/kv/term/.lock`)).json()) as Array<{ Session?: string }>;
    expect(res[0]!.Session, 'released, no session left on the key').to.equal(undefined);
    expect(((await (await fetch(`${agent.url}/v1/session/list`)).json()) as unknown[]).length, 'session destroyed').to.equal(0);
  });

  it('a session destroyed from outside: the holder reports the lock lost, kills the child, exits 1', async () => {
    const holder = lock(['lost', 'sleep 60']);
    let session = '';
    await within(10000, async () => {
      const r = await fetch(`${agent.url}/v1/kv/lost/.lock`);
      session = r.ok ? (((await r.json()) as Array<{ Session?: string }>)[0]!.Session ?? '') : '';
      return session;
    });
    await fetch(`${agent.url}/v1/session/destroy/${session}`, { method: 'PUT' });
    expect(await holder.exit).to.equal(1);
    expect(holder.output()).to.include('Lock lost, killing child');
  });

  it('misuse and timeouts: clear messages and exit 1', async () => {
    const missing = await runPraetor(['lock', `-http-addr=${agent.host}:${agent.port}`, 'only-prefix']);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include('Key prefix and child command must be specified');
    const holder = lock(['busy', 'sleep 60']);
    await within(10000, async () => (await fetch(`${agent.url}/v1/kv/busy/.lock`)).ok);
    const timedOut = await runPraetor(['lock', `-http-addr=${agent.host}:${agent.port}`, '-timeout=500ms', 'busy', 'true']);
    expect(timedOut.code).to.equal(1);
    expect(timedOut.stderr).to.include('timeout during lock acquisition');
    holder.proc.kill('SIGTERM');
    await holder.exit;
    await fetch(`${agent.url}/v1/kv/plain/.lock`, { method: 'PUT', body: 'x' });
    const notALock = await runPraetor(['lock', `-http-addr=${agent.host}:${agent.port}`, 'plain', 'true']);
    expect(notALock.code).to.equal(1);
    expect(notALock.stderr).to.include('Existing key does not match lock use');
    const down = await runPraetor(['lock', '-http-addr=127.0.0.1:1', 'x', 'true']);
    expect(down.code).to.equal(1);
    expect(down.stderr).to.include('ECONNREFUSED');
  });
});
