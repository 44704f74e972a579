import { startTarget, TARGETS } from './targets.js';
import { expect } from 'chai';
import { http, startAgent, type AgentProcess } from './harness.js';

/** Blocking queries against a real agent: they wake for their own data and nothing else. */
for (const target of TARGETS) describe(`blocking queries [${target}]`, function () {
  this.timeout(30000);
  let agent: AgentProcess;
  let url: string;
  before(async () => {
    agent = await startTarget(target, ['-dev']);
    url = agent.url;
  });
  after(() => agent.stop());

  const index = (h: Headers) => Number(h.get('x-consul-index'));
  const put = (path: string, body: unknown) => http(`${url}${path}`, { method: 'PUT', body: typeof body === 'string' ? body : JSON.stringify(body) });
  const register = (name: string, id = name) =>
    put('/v1/catalog/register', { Node: `node-${id}`, Address: '10.0.0.9', Service: { Service: name, ID: id, Port: 80 } });

  /** Starts a blocking GET and records whether it answered before `gate` was opened. */
  function blockingGet(path: string, idx: number) {
    const state = { gateOpen: false, answeredEarly: false };
    const res = http(`${url}${path}${path.includes('?') ? '&' : '?'}index=${idx}&wait=20s`).then((r) => {
      if (!state.gateOpen) state.answeredEarly = true;
      return r;
    });
    return { state, res };
  }

  it('a health watcher of web ignores writes to api and KV, including before web exists, then wakes for web', async () => {
    const first = await http(`${url}/v1/health/service/web`);
    expect(first.json()).to.deep.equal([]);
    const idx = index(first.headers);
    expect(idx).to.be.greaterThan(0);
    const w = blockingGet('/v1/health/service/web', idx);
    await register('api');
    await put('/v1/kv/unrelated', 'x');
    await put('/v1/agent/service/register', { Name: 'other', Port: 2 });
    // Give a wrongly woken query every chance to answer before the relevant write.
    await new Promise((r) => setTimeout(r, 300));
    w.state.gateOpen = true;
    await register('web');
    const res = await w.res;
    expect(w.state.answeredEarly, 'answered before web changed').to.equal(false);
    expect(index(res.headers)).to.be.greaterThan(idx);
    expect((res.json() as Array<{ Service: { ID: string } }>).map((e) => e.Service.ID)).to.deep.equal(['web']);
  });

  it('a KV watcher of one key ignores other keys and wakes when its key is created', async () => {
    const first = await http(`${url}/v1/kv/watch/me`);
    expect(first.status).to.equal(404);
    const idx = index(first.headers);
    expect(idx).to.be.greaterThan(0);
    const w = blockingGet('/v1/kv/watch/me', idx);
    await put('/v1/kv/watch/other', 'x');
    await put('/v1/kv/watch/me2', 'x');
    await new Promise((r) => setTimeout(r, 300));
    w.state.gateOpen = true;
    await put('/v1/kv/watch/me', 'hello');
    const res = await w.res;
    expect(w.state.answeredEarly).to.equal(false);
    expect(res.status).to.equal(200);
    expect(Buffer.from((res.json() as Array<{ Value: string }>)[0].Value, 'base64').toString()).to.equal('hello');
  });

  it('a KV prefix watcher wakes for a key under its prefix only', async () => {
    await put('/v1/kv/tree/a', '1');
    const first = await http(`${url}/v1/kv/tree/?recurse`);
    const w = blockingGet('/v1/kv/tree/?recurse', index(first.headers));
    await put('/v1/kv/treehouse', 'no');
    await put('/v1/kv/elsewhere/b', 'no');
    await new Promise((r) => setTimeout(r, 300));
    w.state.gateOpen = true;
    await put('/v1/kv/tree/b', '2');
    const res = await w.res;
    expect(w.state.answeredEarly).to.equal(false);
    expect((res.json() as Array<{ Key: string }>).map((e) => e.Key)).to.deep.equal(['tree/a', 'tree/b']);
  });

  it('answers with the same index when the wait runs out', async () => {
    const first = await http(`${url}/v1/catalog/nodes`);
    const idx = index(first.headers);
    const res = await http(`${url}/v1/catalog/nodes?index=${idx}&wait=200ms`);
    expect(res.status).to.equal(200);
    expect(index(res.headers)).to.equal(idx);
  });

  it('every read carries X-Consul-Index > 0, KnownLeader, LastContact and consistency headers', async () => {
    for (const path of ['/v1/catalog/nodes', '/v1/catalog/services', '/v1/catalog/service/none', '/v1/health/service/none', '/v1/health/state/any', '/v1/kv/none', '/v1/agent/services']) {
      const res = await http(`${url}${path}`);
      expect(index(res.headers), path).to.be.greaterThan(0);
      expect(res.headers.get('x-consul-knownleader'), path).to.equal('true');
      expect(res.headers.get('x-consul-lastcontact'), path).to.equal('0');
      expect(res.headers.get('x-consul-effective-consistency'), path).to.equal('leader');
      expect(res.headers.get('x-consul-default-acl-policy'), path).to.equal('allow');
    }
    const stale = await http(`${url}/v1/catalog/nodes?stale`);
    expect(stale.headers.get('x-consul-effective-consistency')).to.equal('stale');
  });

  it('accepts boolean flags in every form clients send', async () => {
    await put('/v1/kv/flags/a', '1');
    for (const form of ['recurse', 'recurse=', 'recurse=1', 'recurse=true']) {
      const res = await http(`${url}/v1/kv/flags/?${form}`);
      expect(res.status, form).to.equal(200);
    }
  });

  it('accepts Go durations for wait (30000ms, 1s)', async () => {
    const first = await http(`${url}/v1/catalog/nodes`);
    for (const wait of ['300ms', '0.2s']) {
      const res = await http(`${url}/v1/catalog/nodes?index=${index(first.headers)}&wait=${wait}`);
      expect(res.status, wait).to.equal(200);
    }
  });
});
