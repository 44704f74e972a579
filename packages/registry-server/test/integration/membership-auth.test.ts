import { expect } from 'chai';
import { http, runPraetor, startAgent, within, type AgentProcess } from './harness.js';
import {
  announce,
  announcement,
  catalogNodes,
  countingListener,
  memberList,
  newKey,
  signedHeaders,
  type CountingListener,
} from './membership-peer.js';

const cli = (agent: AgentProcess, ...args: string[]) => runPraetor(args, { env: { PRAETOR_HTTP_ADDR: `${agent.host}:${agent.port}`, CONSUL_HTTP_ADDR: '' } });

describe('membership messages authenticated with the encrypt key (real agents)', function () {
  this.timeout(60000);
  const agents: AgentProcess[] = [];
  const listeners: CountingListener[] = [];
  const start = async (args: string[]) => {
    const a = await startAgent(args);
    agents.push(a);
    return a;
  };
  const listen = async () => {
    const l = await countingListener();
    listeners.push(l);
    return l;
  };
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop('SIGKILL')));
    await Promise.all(listeners.splice(0).map((l) => l.close()));
  });

  it('refuses an unsigned, badly signed or tampered announcement with 403: no probe goes out, the catalog is unchanged', async () => {
    const key = newKey();
    const a = await start(['-dev', '-node=guarded', `-encrypt=${key}`]);
    const target = await listen();
    const intruder = announcement('intruder', target.port);
    const body = JSON.stringify(intruder);
    const tampered = { ...signedHeaders(key, JSON.stringify({ ...intruder, Name: 'other' })) };
    for (const headers of [{}, signedHeaders(newKey(), body), tampered, { ...signedHeaders(key, body), 'x-praetor-signature': 'zz' }]) {
      const res = await announce(a, intruder, { headers });
      expect(res.status).to.equal(403);
      expect(res.text).to.match(/^Permission denied: the membership message (is not signed|signature does not match this agent's encrypt key)/);
    }
    expect(a.output()).to.match(/\[?warn\]?.*refused a membership message from 127\.0\.0\.1: the membership message is not signed/i);

    // A correctly signed announcement for a second listener: once it has been probed twice,
    // two probe rounds have run, and the intruder's port must have seen nothing.
    const control = await listen();
    expect((await announce(a, announcement('control', control.port), { key })).status).to.equal(200);
    await within(20000, () => control.count() >= 2, 50);
    expect(target.count()).to.equal(0);
    expect((await memberList(a)).map((m) => m.Name)).to.deep.equal(['guarded', 'control']);
    expect((await catalogNodes(a)).map((n) => n.Node)).to.deep.equal(['control', 'guarded']);
  });

  it('refuses a replayed or stale signed message', async () => {
    const key = newKey();
    const a = await start(['-dev', '-node=replay-target', `-encrypt=${key}`]);
    const target = await listen();
    const m = announcement('once', target.port);
    const headers = signedHeaders(key, JSON.stringify(m));
    expect((await announce(a, m, { headers })).status).to.equal(200);
    const again = await announce(a, m, { headers });
    expect([again.status, again.text]).to.deep.equal([403, 'Permission denied: the membership message was already received once (a replay)']);
    const stale = await announce(a, announcement('late', target.port + 1), { headers: signedHeaders(key, JSON.stringify(announcement('late', target.port + 1)), { ts: Date.now() - 120_000 }) });
    expect(stale.status).to.equal(403);
    expect(stale.text).to.match(/^Permission denied: the membership message is 1[12]\ds old \(at most 30s allowed: check the clocks of both hosts\)$/);
    expect((await memberList(a)).map((m) => m.Name)).to.deep.equal(['replay-target', 'once']);
  });

  it('two agents with the same key join and keep probing each other; another key or no key cannot join', async () => {
    const key = newKey();
    const a = await start(['-dev', '-node=k-alpha', `-encrypt=${key}`]);
    const b = await start(['-dev', '-node=k-beta', `-encrypt=${key}`]);
    expect(await cli(a, 'join', `127.0.0.1:${b.port}`)).to.deep.include({ code: 0, stdout: 'Successfully joined cluster by contacting 1 nodes.\n' });
    for (const agent of [a, b]) {
      await within(10000, async () => (await memberList(agent)).filter((m) => m.Status === 1).length === 2, 100);
    }
    // Signed probes keep flowing both ways: each catalog shows the other passing, and b never refused one.
    await within(10000, async () => {
      const checks = (await http(`${b.url}/v1/health/node/k-alpha`)).json() as Array<{ Status: string }>;
      return checks.length === 1 && checks[0]!.Status === 'passing';
    }, 100);

    const other = await start(['-dev', '-node=k-other', `-encrypt=${newKey()}`]);
    const res = await cli(a, 'join', `127.0.0.1:${other.port}`);
    expect(res.code).to.equal(1);
    expect(res.stderr).to.include(`Failed to join 127.0.0.1:${other.port}: http://127.0.0.1:${other.port} refused: Permission denied: the membership message signature does not match`);
    const plain = await start(['-dev', '-node=k-plain']);
    const noKey = await cli(a, 'join', `127.0.0.1:${plain.port}`);
    expect(noKey.code).to.equal(1);
    expect(noKey.stderr).to.include('did not sign its answer with this agent\'s encrypt key');
    const fromPlain = await cli(plain, 'join', `127.0.0.1:${a.port}`);
    expect(fromPlain.code).to.equal(1);
    expect(fromPlain.stderr).to.include('Permission denied: the membership message is not signed');
    expect((await memberList(a)).map((m) => m.Name)).to.deep.equal(['k-alpha', 'k-beta']);
    expect((await memberList(other)).map((m) => m.Name)).to.deep.equal(['k-other']);
    expect(b.output()).not.to.include('refused a membership message');
  });
});
