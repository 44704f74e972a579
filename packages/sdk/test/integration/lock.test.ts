import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import winston from 'winston';
import {
  AxiosClient,
  ConsulLock,
  elect,
  freePort,
  isLockFlags,
  LeaderElection,
  LOCK_FLAG_VALUE,
  LockAbortedError,
  LockConflictError,
  LockHeldError,
  LockLostError,
  lockHolder,
  startTestAgent,
  UnreachableError,
  within,
  type LockClient,
  type TestAgent,
} from '../../src/index.js';

/** A logger whose lines (JSON) a test can read back. */
function capturingLogger(): { log: winston.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const log = winston.createLogger({ level: 'debug', format: winston.format.json(), transports: [new winston.transports.Stream({ stream })] });
  return { log, lines };
}

const silent = winston.createLogger({ silent: true });
const lostReason = (s: AbortSignal) => (s.reason as LockLostError).reason;

/** Locks and leader election against a real `praetor agent -dev` (session TTLs down to 1s). */
describe('Lock and LeaderElection against a real agent', function () {
  this.timeout(60000);
  let agent: TestAgent;
  let client: AxiosClient;
  before(async () => {
    agent = await startTestAgent({ config: { session_ttl_min: '1s' } });
    client = new AxiosClient({ addresses: [agent.url] });
  });
  after(() => agent?.stop());

  const put = (p: string, body?: string) => fetch(`${agent.url}${p}`, { method: 'PUT', body });
  const sessionIds = async () => ((await (await fetch(`${agent.url}/v1/session/list`)).json()) as Array<{ ID: string }>).map((s) => s.ID);

  it('two Locks on one key: exactly one holds; the other gets it after release; the session goes with the release', async () => {
    const a = new ConsulLock(client, silent, { key: 'locks/one', value: 'a' });
    const b = new ConsulLock(client, silent, { key: 'locks/one', value: 'b' });
    const heldA = await a.acquire();
    const pendingB = b.acquire();
    await within(5000, () => b.status().holder === a.status().session, 'b waiting on a');
    expect([a.held, b.held]).to.deep.equal([true, false]);
    expect((await lockHolder(client, 'locks/one'))?.value?.toString()).to.equal('a');
    const pair = (await client.kvPair('locks/one')).value!;
    expect(isLockFlags(pair.Flags), `Flags ${pair.Flags}`).to.equal(true);
    const sessionA = a.status().session!;

    await a.release();
    expect(heldA.aborted).to.equal(true);
    expect(lostReason(heldA)).to.equal('released');
    const heldB = await pendingB;
    expect([a.held, b.held]).to.deep.equal([false, true]);
    expect(heldB.aborted).to.equal(false);
    expect((await lockHolder(client, 'locks/one'))?.value?.toString()).to.equal('b');
    expect(await sessionIds()).to.not.include(sessionA);
    expect(a.status().state).to.equal('idle');

    await b.destroy();
    expect(b.status().state).to.equal('destroyed');
    expect((await client.kvPair('locks/one')).value, 'destroy() deletes the free lock key').to.equal(null);
    await b.destroy();
    await a.destroy();
    expect(await sessionIds()).to.deep.equal([]);
  });

  it('refuses a key used with other flags: Existing key does not match lock use', async () => {
    await put('/v1/kv/locks/config?flags=42', 'not a lock');
    const lock = new ConsulLock(client, silent, { key: 'locks/config' });
    try {
      await lock.acquire().then(
        () => expect.fail('acquired a key with other flags'),
        (err) => {
          expect(err).to.be.instanceOf(LockConflictError);
          expect((err as Error).message).to.match(/^Existing key does not match lock use: "locks\/config" has flags 42$/);
        },
      );
      expect(lock.status().state).to.equal('idle');
      expect((await client.kvPair('locks/config')).value?.Session, 'untouched').to.equal(undefined);
      expect(await sessionIds(), 'its session is destroyed').to.deep.equal([]);
    } finally {
      await lock.destroy();
    }
    expect((await client.kvPair('locks/config')).value, 'destroy() leaves a key that is not a lock').to.not.equal(null);
  });

  it('takes turns with a holder that locks as the Go api does (flags 0x2ddccbc058a50c18)', async () => {
    const session = ((await (await put('/v1/session/create', JSON.stringify({ LockDelay: '0s' }))).json()) as { ID: string }).ID;
    expect(await (await put(`/v1/kv/locks/go?acquire=${session}&flags=${LOCK_FLAG_VALUE}`, 'go')).json()).to.equal(true);
    const lock = new ConsulLock(client, silent, { key: 'locks/go', value: 'node' });
    const pending = lock.acquire();
    await within(5000, () => lock.status().holder === session, 'waiting on the Go holder');
    expect(await (await put(`/v1/kv/locks/go?release=${session}&flags=${LOCK_FLAG_VALUE}`, 'go')).json()).to.equal(true);
    await pending;
    expect((await lockHolder(client, 'locks/go'))?.value?.toString()).to.equal('node');
    await lock.destroy();
    await put(`/v1/session/destroy/${session}`);
  });

  it('the holder sees its session destroyed from outside; the other acquires after the lock-delay', async () => {
    const b = capturingLogger();
    const lockA = new ConsulLock(client, silent, { key: 'locks/two', value: 'a', lockDelay: '3s' });
    const lockB = new ConsulLock(client, b.log, { key: 'locks/two', value: 'b', lockDelay: '3s', retryMs: 200 });
    const heldA = await lockA.acquire();
    const pendingB = lockB.acquire();
    await within(5000, () => lockB.status().holder === lockA.status().session, 'b waiting on a');
    expect((await put(`/v1/session/destroy/${lockA.status().session}`)).status).to.equal(200);
    await within(5000, () => heldA.aborted, 'a sees the loss');
    expect(lostReason(heldA)).to.be.oneOf(['key-changed', 'session-gone']);
    expect(lockA.status().state).to.equal('lost');
    expect(lockA.held).to.equal(false);
    await within(15000, () => lockB.held, 'b acquires');
    await pendingB;
    expect(b.lines.some((l) => l.includes('lock refused while free (lock-delay)')), 'b was held back by the lock-delay').to.equal(true);
    await lockB.destroy();
    await lockA.destroy();
  });

  it('TTL: renewals that stop getting through end the hold; the server expires the session and the other acquires', async () => {
    let renewals = true;
    const flaky = new Proxy(client, {
      get(target, prop, receiver) {
        if (prop === 'renewSession') return (id: string) => (renewals ? target.renewSession(id) : Promise.reject(new UnreachableError('renewals cut by the test')));
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as LockClient;
    const a = new ConsulLock(flaky, silent, { key: 'locks/ttl', sessionTtl: '1s', lockDelay: '0s' });
    const b = new ConsulLock(client, silent, { key: 'locks/ttl', sessionTtl: '1s', lockDelay: '0s', retryMs: 200 });
    const heldA = await a.acquire();
    const pendingB = b.acquire();
    // Renewals keep the session alive well past its TTL.
    await new Promise((r) => setTimeout(r, 2500));
    expect([heldA.aborted, b.held]).to.deep.equal([false, false]);
    renewals = false;
    await within(10000, () => heldA.aborted, 'a reports the loss');
    expect(lostReason(heldA)).to.equal('unconfirmed');
    await pendingB;
    expect(b.held).to.equal(true);
    await b.destroy();
    await a.destroy();
  });

  it('with a session of the caller that nobody renews, the server expiring it ends the hold', async () => {
    const session = ((await (await put('/v1/session/create', JSON.stringify({ TTL: '1s', LockDelay: '0s' }))).json()) as { ID: string }).ID;
    const lock = new ConsulLock(client, silent, { key: 'locks/theirs', session, sessionTtl: '1s' });
    const held = await lock.acquire();
    await within(10000, () => held.aborted, 'the loss is reported');
    expect(lostReason(held)).to.equal('key-changed');
    expect(await sessionIds()).to.not.include(session);
    await lock.destroy();
  });

  it('a waiting lock whose session the server drops (renew 404) makes another and goes on waiting', async () => {
    const a = new ConsulLock(client, silent, { key: 'locks/wait' });
    const b = new ConsulLock(client, silent, { key: 'locks/wait', sessionTtl: '1s', lockDelay: '0s' });
    await a.acquire();
    const pendingB = b.acquire();
    await within(5000, () => b.status().holder === a.status().session, 'b waiting on a');
    const first = b.status().session!;
    await put(`/v1/session/destroy/${first}`);
    await within(10000, () => b.status().session && b.status().session !== first, 'b has a new session');
    await a.release();
    await pendingB;
    expect((await client.kvPair('locks/wait')).value?.Session).to.equal(b.status().session);
    await b.destroy();
    await a.destroy();
  });

  it('acquire() gives up on its signal, on its timeout and on release(), and cleans up its session', async () => {
    const a = new ConsulLock(client, silent, { key: 'locks/busy' });
    const b = new ConsulLock(client, silent, { key: 'locks/busy' });
    const heldA = await a.acquire();
    const rejection = (p: Promise<unknown>) => p.then(() => expect.fail('acquired'), (e: Error) => e);

    const timedOut = await rejection(b.acquire({ timeoutMs: 300 }));
    expect(timedOut).to.be.instanceOf(LockAbortedError);
    expect(timedOut.message).to.equal('lock "locks/busy" not acquired: not held within 300 ms');

    const ctl = new AbortController();
    const pending = b.acquire({ signal: ctl.signal });
    expect(await rejection(b.acquire())).to.be.instanceOf(LockHeldError);
    ctl.abort();
    expect((await rejection(pending)).message).to.equal('lock "locks/busy" not acquired: the signal aborted');

    expect(await rejection(b.acquire({ signal: AbortSignal.abort() }))).to.be.instanceOf(LockAbortedError);
    const waiting = b.acquire();
    await within(5000, () => b.status().holder !== undefined);
    await b.release();
    expect((await rejection(waiting)).message).to.match(/release\(\) was called/);

    expect(b.status().state).to.equal('idle');
    expect(await sessionIds()).to.deep.equal([a.status().session]);
    expect(heldA.aborted).to.equal(false);
    expect(await rejection(a.acquire())).to.be.instanceOf(LockHeldError);
    await a.destroy();
    expect((await rejection(a.acquire())).message).to.match(/destroyed/);
    await b.destroy();
  });

  it('a pending acquire() keeps a script alive through lock-delay pauses', async () => {
    // A key in its lock-delay: acquire() is refused while it is free, and pauses between tries.
    const session = ((await (await put('/v1/session/create', JSON.stringify({ LockDelay: '3s' }))).json()) as { ID: string }).ID;
    expect(await (await put(`/v1/kv/locks/script?acquire=${session}&flags=${LOCK_FLAG_VALUE}`)).json()).to.equal(true);
    await put(`/v1/session/destroy/${session}`);
    const index = new URL('../../src/index.js', import.meta.url).href;
    const script = `
      import winston from 'winston';
      const { AxiosClient, ConsulLock } = await import(${JSON.stringify(index)});
      const lock = new ConsulLock(new AxiosClient({ addresses: [${JSON.stringify(agent.url)}] }), winston.createLogger({ silent: true }), { key: 'locks/script', retryMs: 200 });
      await lock.acquire();
      console.log('acquired');
      await lock.destroy();`;
    const cwd = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, out: out.trim() }).to.deep.equal({ code: 0, out: 'acquired' });
  });

  it('starts with the agent unreachable, retries and says so, then acquires once it is up', async () => {
    const port = await freePort();
    const late = new AxiosClient({ addresses: [`127.0.0.1:${port}`] });
    const { log, lines } = capturingLogger();
    const lock = new ConsulLock(late, log, { key: 'locks/late', backoff: { initialMs: 50, maxMs: 200 } });
    const pending = lock.acquire();
    await within(10000, () => lock.status().retries >= 2, 'retries');
    expect(lock.status()).to.deep.include({ state: 'acquiring' });
    expect(lock.status().lastError).to.match(/no registry server answered/);
    expect(lines.some((l) => l.includes('registry unreachable; retrying the lock'))).to.equal(true);
    const lateAgent = await startTestAgent({ args: [`-http-port=${port}`] });
    try {
      await pending;
      expect(lock.held).to.equal(true);
      await lock.destroy();
    } finally {
      await lateAgent.stop();
    }
  });

  it('leader election with 3 candidates: one leader at a time, a new one after the leader stops or loses its session', async () => {
    const names = ['c1', 'c2', 'c3'];
    const overlaps: string[] = [];
    const lost: Record<string, string[]> = { c1: [], c2: [], c3: [] };
    const elections: LeaderElection[] = [];
    for (const name of names) {
      elections.push(
        elect(client, silent, {
          key: 'service/web/leader',
          value: name,
          lockDelay: '1s',
          retryMs: 200,
          onElected: () => {
            const others = elections.filter((e, i) => names[i] !== name && e.isLeader);
            if (others.length) overlaps.push(`${name} elected while ${others.length} other(s) lead`);
          },
          onLost: (reason) => lost[name].push(reason.reason),
        }),
      );
    }
    /** The one leader's name; '' while there is none (or more than one). */
    const leader = (): string => {
      const l = elections.filter((e) => e.isLeader);
      return l.length === 1 ? names[elections.indexOf(l[0])] : '';
    };
    try {
      const first = await within(10000, leader, 'a leader');
      expect((await lockHolder(client, 'service/web/leader'))?.value?.toString()).to.equal(first);

      await elections[names.indexOf(first)].stop();
      expect(lost[first]).to.deep.equal(['released']);
      const second = await within(10000, leader, 'a second leader');
      expect(second).to.not.equal(first);

      // The leader's session invalidated from outside: it loses, campaigns again; someone leads after the lock-delay.
      const sessions = (await (await fetch(`${agent.url}/v1/kv/service/web/leader`)).json()) as Array<{ Session: string }>;
      await put(`/v1/session/destroy/${sessions[0].Session}`);
      await within(10000, () => lost[second].length === 1, 'the second leader sees the loss');
      expect(lost[second][0]).to.be.oneOf(['key-changed', 'session-gone']);
      const third = await within(15000, leader, 'a leader after the loss');
      expect(third).to.not.equal(first);
      expect(elections[names.indexOf(second)].status().state).to.be.oneOf(['campaigning', 'leader']);
      expect(overlaps).to.deep.equal([]);
    } finally {
      await Promise.all(elections.map((e) => e.stop()));
    }
    expect(elections.map((e) => e.status().state)).to.deep.equal(['stopped', 'stopped', 'stopped']);
    expect(await sessionIds()).to.deep.equal([]);
    expect((await lockHolder(client, 'service/web/leader'))).to.equal(null);
  });

  it('leader election never ends on an error: it campaigns again until the key is usable', async () => {
    await put('/v1/kv/service/busy/leader?flags=7', 'in use');
    const { log, lines } = capturingLogger();
    const e = elect(client, log, { key: 'service/busy/leader', backoff: { initialMs: 50, maxMs: 200 } });
    try {
      await within(10000, () => e.status().retries >= 2, 'retries');
      expect(e.status().lastError).to.match(/Existing key does not match lock use/);
      expect(lines.some((l) => l.includes('campaign failed; campaigning again'))).to.equal(true);
      await fetch(`${agent.url}/v1/kv/service/busy/leader`, { method: 'DELETE' });
      await within(10000, () => e.isLeader, 'elected once the key is free');
    } finally {
      await e.stop();
    }
  });
});
