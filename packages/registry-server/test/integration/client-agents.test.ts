import fs from 'node:fs';
import { expect } from 'chai';
import Consul from 'consul';
import { freePort, within } from '@praetor/test-support';
import { startClient, type ClientAgent } from './client-agent.js';
import { datas, dig } from './dig.js';
import { runPraetor, startAgent, tempDir, type AgentProcess } from './harness.js';

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
};
const put = (url: string, body?: unknown) => fetch(url, { method: 'PUT', body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
const nodesOf = async (server: string, service: string) => ((await get(`${server}/v1/catalog/service/${service}`)).body as Array<{ Node: string }>).map((s) => s.Node).sort();

/** Client agents (no -server) against one embedded server: real processes on loopback. */
describe('client agents on one server', function () {
  this.timeout(90_000);
  let server: AgentProcess;
  let serverPort: number;
  const clients: ClientAgent[] = [];

  before(async () => {
    serverPort = await freePort();
    server = await startAgent(['-dev', '-node=server1', `-http-port=${serverPort}`]);
    for (const name of ['client1', 'client2', 'client3']) clients.push(await startClient(name, [server.url]));
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.stop('SIGKILL')));
    for (const c of clients) c.cleanup();
    await server?.stop();
  });

  it('a service registered on each client is in the catalog on that client’s node, with its checks', async () => {
    for (const c of clients) {
      const res = await put(`${c.url}/v1/agent/service/register`, { Name: 'web', ID: `web-${c.node}`, Port: 8080, Check: { TTL: '60s' } });
      expect(res.status).to.equal(200);
    }
    await within(10_000, async () => (await nodesOf(server.url, 'web')).length === 3, 'three instances of web in the catalog');
    expect(await nodesOf(server.url, 'web')).to.deep.equal(['client1', 'client2', 'client3']);
    // The client's TTL update reaches the catalog at once (a local change syncs now).
    await put(`${clients[0]!.url}/v1/agent/check/pass/service:web-client1?note=fine`);
    await within(5_000, async () => {
      const checks = (await get(`${server.url}/v1/health/checks/web`)).body as Array<{ Node: string; Status: string; Output: string }>;
      const c = checks.find((x) => x.Node === 'client1');
      return c?.Status === 'passing' && c.Output === 'fine';
    }, 'the passing TTL check in the catalog');
    // The client's own view is its local one: only its own services.
    const local = (await get(`${clients[1]!.url}/v1/agent/services`)).body as Record<string, unknown>;
    expect(Object.keys(local)).to.deep.equal(['web-client2']);
  });

  it('answers catalog, health and KV reads with the server’s headers', async () => {
    await put(`${clients[0]!.url}/v1/kv/shared/greeting`, 'hello');
    const viaClient = await get(`${clients[1]!.url}/v1/kv/shared/greeting?raw`);
    const viaServer = await get(`${server.url}/v1/kv/shared/greeting?raw`);
    expect(viaClient.body).to.equal('hello');
    expect(viaClient.headers.get('x-consul-index')).to.equal(viaServer.headers.get('x-consul-index'));
    expect(viaClient.headers.get('x-consul-knownleader')).to.equal('true');
    expect(viaClient.headers.get('x-consul-lastcontact')).to.equal('0');
    const leader = await get(`${clients[2]!.url}/v1/status/leader`);
    expect(leader.body).to.equal((await get(`${server.url}/v1/status/leader`)).body);
  });

  it('a blocking query through a client returns when the server’s state moves', async () => {
    const first = await get(`${clients[0]!.url}/v1/health/service/api?passing`);
    const index = first.headers.get('x-consul-index');
    const started = Date.now();
    const blocked = get(`${clients[0]!.url}/v1/health/service/api?passing&index=${index}&wait=30s`);
    await new Promise((r) => setTimeout(r, 300));
    await put(`${clients[2]!.url}/v1/agent/service/register`, { Name: 'api', Port: 9000 });
    const answer = await blocked;
    expect(Date.now() - started).to.be.below(30_000);
    expect(Number(answer.headers.get('x-consul-index'))).to.be.above(Number(index));
    expect((answer.body as Array<{ Node: { Node: string } }>).map((e) => e.Node.Node)).to.deep.equal(['client3']);
  });

  it('an alias check on a client follows a service on another client’s node, read from the servers', async () => {
    const alias = async () => ((await get(`${clients[0]!.url}/v1/agent/checks`)).body as Record<string, { Status: string; Output: string }>)['web3-alias'];
    const res = await put(`${clients[0]!.url}/v1/agent/check/register`, { Name: 'web on client3', CheckID: 'web3-alias', AliasNode: 'client3', AliasService: 'web-client3' });
    expect(res.status).to.equal(200);
    // web-client3's TTL check has not been updated since it was registered: critical.
    await within(10_000, async () => (await alias())?.Status === 'critical', 'the alias critical');
    expect((await alias())!.Output).to.equal('Aliased check "Service \'web\' check" failing: ');
    await put(`${clients[2]!.url}/v1/agent/check/pass/service:web-client3`);
    await within(10_000, async () => (await alias())?.Output === 'All checks passing.', 'the alias passing');
    await put(`${clients[2]!.url}/v1/agent/check/warn/service:web-client3?note=slow`);
    await within(10_000, async () => (await alias())?.Status === 'warning', 'the alias warning');
    expect((await alias())!.Output).to.equal('Aliased check "Service \'web\' check" failing: slow');
    // The alias itself reaches the catalog on client1's node.
    await within(10_000, async () => {
      const checks = (await get(`${server.url}/v1/health/node/client1`)).body as Array<{ CheckID: string; Status: string }>;
      return checks.find((c) => c.CheckID === 'web3-alias')?.Status === 'warning';
    }, 'the alias in the catalog');
    // Back to critical, as the tests below expect web-client3, and the alias (a node check of client1's) gone.
    await put(`${clients[2]!.url}/v1/agent/check/fail/service:web-client3`);
    await within(10_000, async () => (await alias())?.Status === 'critical', 'the alias critical again');
    expect((await put(`${clients[0]!.url}/v1/agent/check/deregister/web3-alias`)).status).to.equal(200);
    await within(10_000, async () => {
      const checks = (await get(`${server.url}/v1/health/node/client1`)).body as Array<{ CheckID: string }>;
      return !checks.some((c) => c.CheckID === 'web3-alias');
    }, 'the alias gone from the catalog');
  });

  it('a client-owned service deregistered through the catalog comes back within one sync', async () => {
    expect((await put(`${server.url}/v1/catalog/deregister`, { Node: 'client2', ServiceID: 'web-client2' })).status).to.equal(200);
    expect(await nodesOf(server.url, 'web')).to.deep.equal(['client1', 'client3']);
    await within(5_000, async () => (await nodesOf(server.url, 'web')).includes('client2'), 'web-client2 back in the catalog');
  });

  it('a restarted server (memory only) gets every client’s node and services back', async () => {
    await server.stop('SIGKILL');
    server = await startAgent(['-dev', '-node=server1', `-http-port=${serverPort}`]);
    await within(15_000, async () => (await nodesOf(server.url, 'web')).length === 3, 'the three web instances back');
    expect(await nodesOf(server.url, 'api')).to.deep.equal(['client3']);
  });

  it('the praetor CLI and the consul npm client work against a client agent', async () => {
    const addr = `-http-addr=${clients[1]!.host}:${clients[1]!.port}`;
    const putRes = await runPraetor(['kv', 'put', addr, 'cli/key', 'value']);
    expect(putRes.code, putRes.stderr).to.equal(0);
    const getRes = await runPraetor(['kv', 'get', addr, 'cli/key']);
    expect(getRes.stdout.trim()).to.equal('value');
    const consul = new Consul({ host: clients[1]!.host, port: clients[1]!.port });
    await consul.agent.service.register({ name: 'npm-svc', port: 7000 });
    await within(5_000, async () => (await consul.catalog.service.nodes('npm-svc')).length === 1, 'npm-svc in the catalog');
    const [entry] = await consul.catalog.service.nodes('npm-svc');
    expect(entry!.Node).to.equal('client2');
    const services = await consul.agent.service.list();
    expect(Object.keys(services)).to.include('npm-svc');
  });

  it('answers DNS with the server’s answers (dig at the client)', async () => {
    const port = Number(/DNS Addr: 127\.0\.0\.1:(\d+)/.exec(clients[0]!.output())?.[1]);
    expect(port).to.be.above(0);
    const udp = await dig(port, 'web.service.consul', 'SRV');
    expect(udp.status).to.equal('NOERROR');
    // Only client1's instance passes its TTL check: the others are left out, as the server answers.
    expect(datas(udp.answer, 'SRV')).to.deep.equal(['1 1 8080 client1.node.dc1.consul.']);
    const tcp = await dig(port, 'client2.node.consul', 'A', [], true);
    expect(datas(tcp.answer, 'A')).to.deep.equal(['127.0.0.1']);
  });

  it('a client that has no server answers 500 "No known Consul servers" for what it forwards', async () => {
    const dir = tempDir('praetor-client-');
    const lonely = await startAgent(['-node=lonely', `-data-dir=${dir}`, '-retry-join=127.0.0.1:1']);
    try {
      const res = await get(`${lonely.url}/v1/catalog/services`);
      expect(res.status).to.equal(500);
      expect(res.body).to.contain('No known Consul servers');
      // Its own agent endpoints still answer.
      expect((await get(`${lonely.url}/v1/agent/self`)).status).to.equal(200);
      // An alias of another node cannot be read: critical after the second failed read, saying why.
      expect((await put(`${lonely.url}/v1/agent/check/register`, { Name: 'far', CheckID: 'far', AliasNode: 'client1', AliasService: 'web-client1' })).status).to.equal(200);
      const far = async () => ((await get(`${lonely.url}/v1/agent/checks`)).body as Record<string, { Output: string }>).far;
      await within(10_000, async () => (await far())?.Output.startsWith('Failure checking aliased node or service: '), 'the alias failing to read');
      expect((await far())!.Output).to.contain('No known Consul servers');
    } finally {
      await lonely.stop('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('client agents: joining fails clearly', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const agentArgs = (...more: string[]) => {
    const dir = tempDir('praetor-client-');
    dirs.push(dir);
    return ['agent', '-node=joiner', `-data-dir=${dir}`, '-http-port=0', '-dns-port=-1', ...more];
  };
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('-join with no server answering: the start fails, naming the addresses', async () => {
    const res = await runPraetor(agentArgs('-join=127.0.0.1:1'), { timeoutMs: 30_000 });
    expect(res.code).to.equal(1);
    expect(res.stdout + res.stderr).to.contain('Failed to join 127.0.0.1:1: no server answered (-join)');
  });

  it('-retry-join with -retry-max: the agent starts, retries, then gives up and exits 1', async () => {
    const res = await runPraetor(agentArgs('-retry-join=127.0.0.1:1', '-retry-max=2', '-retry-interval=1s'), { timeoutMs: 30_000 });
    const out = res.stdout + res.stderr;
    expect(res.code).to.equal(1);
    expect(out).to.contain('Praetor agent running!');
    expect(out).to.contain('no server answered -retry-join (127.0.0.1:1); retrying in 1s');
    expect(out).to.contain('giving up: no server answered after 2 -retry-join attempts (127.0.0.1:1)');
  });
});
