import { startTarget, TARGETS } from './targets.js';
import { expect } from 'chai';
import Consul from 'consul';
import fs from 'node:fs';
import path from 'node:path';
import { http, startAgent, tempDir, within, type AgentProcess } from './harness.js';

/** Sessions and KV locks against real agent processes. */
for (const target of TARGETS) describe(`sessions and locks [${target}]`, function () {
  this.timeout(60000);
  let agent: AgentProcess;
  let dir: string;

  before(async () => {
    // session_ttl_min (a Consul setting) lets a test use a 1s TTL instead of 10s.
    dir = tempDir();
    fs.writeFileSync(path.join(dir, 'ttl.json'), JSON.stringify({ session_ttl_min: '1s' }));
    agent = await startTarget(target, ['-dev', `-config-file=${path.join(dir, 'ttl.json')}`, '-http-port=0']);
  });
  after(async () => {
    await agent?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const put = async (p: string, body?: string) => {
    const r = await http(`${agent.url}${p}`, { method: 'PUT', body });
    return { status: r.status, text: r.text };
  };
  const create = async (body: object) => {
    const r = await put('/v1/session/create', JSON.stringify(body));
    expect(r.status, r.text).to.equal(200);
    return (JSON.parse(r.text) as { ID: string }).ID;
  };
  const key = async (k: string) => (await http(`${agent.url}/v1/kv/${k}`)).json() as Array<{ Session?: string; LockIndex: number }>;

  it('the real consul client creates, reads, lists, renews and destroys sessions', async () => {
    const consul = new Consul({ host: agent.host, port: agent.port });
    try {
      const { ID } = (await consul.session.create({ name: 'leader', ttl: '15s', lockdelay: '1s', behavior: 'release' } as never)) as { ID: string };
      const info = (await consul.session.info(ID)) as { Name: string; TTL: string; LockDelay: number; Behavior: string; NodeChecks: string[] };
      expect(info).to.include({ Name: 'leader', TTL: '15s', LockDelay: 1e9, Behavior: 'release' });
      expect(info.NodeChecks).to.deep.equal(['serfHealth']);
      expect(((await consul.session.list()) as Array<{ ID: string }>).map((s) => s.ID)).to.include(ID);
      const self = (await consul.agent.self()) as { Config: { NodeName: string } };
      expect(((await consul.session.node(self.Config.NodeName)) as Array<{ ID: string }>).map((s) => s.ID)).to.include(ID);
      const renewed = (await consul.session.renew(ID)) as Array<{ ID: string }>;
      expect(renewed[0].ID).to.equal(ID);
      expect(await consul.kv.set({ key: 'locks/a', value: 'me', acquire: ID } as never)).to.equal(true);
      await consul.session.destroy(ID);
      expect(await consul.session.info(ID)).to.equal(undefined);
      expect((await key('locks/a'))[0].Session).to.equal(undefined);
    } finally {
      consul.destroy();
    }
  });

  it('TTL expiry releases a held key (within 2 x TTL), and renewals keep it', async () => {
    const kept = await create({ TTL: '1s', LockDelay: '0s' });
    const expiring = await create({ TTL: '1s', LockDelay: '0s' });
    expect((await put(`/v1/kv/ttl/kept?acquire=${kept}`, 'x')).text).to.equal('true');
    expect((await put(`/v1/kv/ttl/gone?acquire=${expiring}`, 'x')).text).to.equal('true');
    const renewing = setInterval(() => void put(`/v1/session/renew/${kept}`), 300);
    try {
      const started = Date.now();
      await within(10000, async () => (await key('ttl/gone'))[0].Session === undefined);
      expect(Date.now() - started).to.be.greaterThan(500, 'not before the TTL');
      expect((await put(`/v1/session/renew/${expiring}`)).status).to.equal(404);
      expect((await key('ttl/kept'))[0].Session).to.equal(kept, 'a renewed session keeps its lock');
    } finally {
      clearInterval(renewing);
    }
  });

  it('a bound check going critical ends the session; a blocking session read wakes on it', async () => {
    await put('/v1/agent/check/register', JSON.stringify({ Name: 'guard', TTL: '30s' }));
    await put('/v1/agent/check/pass/guard');
    const id = await create({ NodeChecks: ['serfHealth', 'guard'], LockDelay: '0s' });
    expect((await put(`/v1/kv/guarded?acquire=${id}`, 'x')).text).to.equal('true');
    const first = await http(`${agent.url}/v1/session/info/${id}`);
    const index = first.headers.get('x-consul-index');
    const blocked = http(`${agent.url}/v1/session/info/${id}?index=${index}&wait=20s`);
    await put('/v1/agent/check/fail/guard');
    const woken = await blocked;
    expect(woken.json()).to.deep.equal([]);
    expect((await key('guarded'))[0].Session).to.equal(undefined);
    expect((await put('/v1/session/create', JSON.stringify({ NodeChecks: ['guard'] }))).text).to.equal("Check 'guard' is in critical state");
  });

  it('lock-delay holds a released key back after the holder is invalidated', async () => {
    const a = await create({ LockDelay: '2s' });
    const b = await create({ LockDelay: '0s' });
    expect((await put(`/v1/kv/delayed?acquire=${a}`, 'x')).text).to.equal('true');
    await put(`/v1/session/destroy/${a}`);
    expect((await put(`/v1/kv/delayed?acquire=${b}`, 'y')).text).to.equal('false');
    await within(10000, async () => (await put(`/v1/kv/delayed?acquire=${b}`, 'y')).text === 'true', 200);
    expect((await key('delayed'))[0]).to.include({ Session: b, LockIndex: 2 });
  });

  it('KV flags keep all 64 bits (the lock flag of Consul\'s Go client)', async () => {
    expect((await put('/v1/kv/u64?flags=3304740253564472344', 'x')).text).to.equal('true');
    expect((await http(`${agent.url}/v1/kv/u64`)).text).to.match(/"Flags": ?3304740253564472344,/);
    expect((await put('/v1/kv/u64?flags=18446744073709551615', 'x')).text).to.equal('true');
    expect((await http(`${agent.url}/v1/kv/u64`)).text).to.match(/"Flags": ?18446744073709551615,/);
    expect((await put('/v1/kv/u64?flags=18446744073709551616', 'x')).status).to.equal(400);
  });

  it('bad session input: Consul statuses and messages, nothing written', async () => {
    const cases: Array<[string, string | undefined, number, string]> = [
      ['/v1/session/create', '{"TTL":"500ms"}', 500, "Invalid Session TTL '500000000', must be between [1s=24h0m0s]"],
      ['/v1/session/create', '{"TTL":"soon"}', 500, 'Session TTL \'soon\' invalid'],
      ['/v1/session/create', '{"Behavior":"keep"}', 500, "Invalid Behavior setting 'keep'"],
      ['/v1/session/create', '{"Node":"elsewhere"}', 500, 'Missing node registration'],
      ['/v1/session/create', '{"ServiceChecks":[{"ID":"nope"}]}', 500, "Missing check 'nope' registration"],
      ['/v1/session/create', '{"Name":', 400, 'Request decode failed'],
      ['/v1/session/renew/not-a-uuid', undefined, 500, 'UUID must be 36 characters'],
      ['/v1/session/renew/00000000-0000-4000-8000-000000000000', undefined, 404, "Session id '00000000-0000-4000-8000-000000000000' not found"],
      ['/v1/kv/k?acquire=00000000-0000-4000-8000-000000000000', 'x', 500, 'invalid session "00000000-0000-4000-8000-000000000000"'],
      ['/v1/kv/k?acquire=', 'x', 500, 'missing session'],
      ['/v1/kv/k?acquire=00000000-0000-4000-8000-000000000000&cas=0', 'x', 400, 'Conflicting flags'],
    ];
    const before = (await http(`${agent.url}/v1/session/list`)).headers.get('x-consul-index');
    for (const [p, body, status, text] of cases) {
      const r = await put(p, body);
      expect(r.status, `${p} ${body}`).to.equal(status);
      expect(r.text, `${p} ${body}`).to.include(text);
    }
    expect((await http(`${agent.url}/v1/kv/k`)).status).to.equal(404);
    expect((await http(`${agent.url}/v1/session/list`)).headers.get('x-consul-index')).to.equal(before);
    expect((await http(`${agent.url}/v1/session/info/xyz`)).status).to.equal(500);
    expect((await put('/v1/session/destroy/00000000-0000-4000-8000-000000000000')).text).to.equal('true');
  });
});

describe('sessions survive a restart with a data dir', function () {
  this.timeout(60000);

  it('sessions and held locks are there after kill -9 and restart, and TTL timers run again', async () => {
    const dir = tempDir();
    const cfg = path.join(dir, 'ttl.json');
    fs.writeFileSync(cfg, JSON.stringify({ session_ttl_min: '1s' }));
    const args = ['-server', '-bootstrap', `-data-dir=${path.join(dir, 'data')}`, '-node=durable', `-config-file=${cfg}`, '-http-port=0'];
    let agent = await startAgent(args);
    try {
      const create = async (body: object) =>
        ((await http(`${agent.url}/v1/session/create`, { method: 'PUT', body: JSON.stringify(body) })).json() as { ID: string }).ID;
      const forever = await create({ Name: 'no ttl' });
      const ttl = await create({ Name: 'ttl', TTL: '2s' });
      await http(`${agent.url}/v1/kv/held?acquire=${forever}`, { method: 'PUT', body: 'x' });
      await http(`${agent.url}/v1/kv/ttl-held?acquire=${ttl}`, { method: 'PUT', body: 'x' });
      await http(`${agent.url}/v1/kv/flags?flags=3304740253564472344`, { method: 'PUT', body: 'x' });
      await agent.stop('SIGKILL');
      agent = await startAgent(args);
      const info = (await http(`${agent.url}/v1/session/info/${forever}`)).json() as Array<{ Name: string }>;
      expect(info.map((s) => s.Name)).to.deep.equal(['no ttl']);
      const held = (await http(`${agent.url}/v1/kv/held`)).json() as Array<{ Session: string }>;
      expect((await http(`${agent.url}/v1/kv/flags`)).text, 'a uint64 flag survives the restart exactly').to.include('"Flags":3304740253564472344');
      expect(held[0].Session).to.equal(forever);
      await within(15000, async () => ((await http(`${agent.url}/v1/session/info/${ttl}`)).json() as unknown[]).length === 0, 200);
      const released = (await http(`${agent.url}/v1/kv/ttl-held`)).json() as Array<{ Session?: string }>;
      expect(released[0].Session).to.equal(undefined);
    } finally {
      await agent.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
