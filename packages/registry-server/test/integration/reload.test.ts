import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { http, runPraetor, startAgent, tempDir, within, type AgentProcess } from './harness.js';

interface AgentService {
  ID: string;
  Service: string;
  Port: number;
  Tags: string[];
}

/** Reloading the config files (SIGHUP, PUT /v1/agent/reload) on a real agent with -config-dir. */
describe('config reload', function () {
  this.timeout(30000);
  let dir: string;
  let confDir: string;
  let agent: AgentProcess | undefined;
  beforeEach(() => {
    dir = tempDir();
    confDir = path.join(dir, 'conf.d');
    fs.mkdirSync(confDir);
  });
  afterEach(async () => {
    await agent?.stop();
    agent = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, content: unknown) => fs.writeFileSync(path.join(confDir, name), typeof content === 'string' ? content : JSON.stringify(content));
  const remove = (name: string) => fs.rmSync(path.join(confDir, name));
  const start = async (extra: string[] = []) => {
    agent = await startAgent(['-dev', `-config-dir=${confDir}`, '-http-port=0', ...extra]);
    return agent.url;
  };
  const services = async (url: string) => (await http(`${url}/v1/agent/services`)).json() as Record<string, AgentService>;
  const ports = async (url: string) => Object.fromEntries(Object.values(await services(url)).map((s) => [s.ID, s.Port]));
  const checkStatus = async (url: string) => Object.fromEntries(Object.entries((await http(`${url}/v1/agent/checks`)).json() as Record<string, { Status: string }>).map(([id, c]) => [id, c.Status]));
  const reload = (url: string) => http(`${url}/v1/agent/reload`, { method: 'PUT' });
  const registerOverHttp = (url: string) => http(`${url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'from-http', Port: 5000 }) });

  it('SIGHUP: services added, changed and removed in the files follow; one registered over HTTP stays', async () => {
    write('web.json', { service: { name: 'web', port: 80, check: { ttl: '60s' } } });
    write('db.json', { service: { name: 'db', port: 5432 } });
    const url = await start();
    expect((await registerOverHttp(url)).status).to.equal(200);
    await http(`${url}/v1/agent/check/pass/service:web`, { method: 'PUT' });
    expect(await ports(url)).to.deep.equal({ web: 80, db: 5432, 'from-http': 5000 });

    write('api.json', { service: { name: 'api', port: 9000 } });
    write('web.json', { service: { name: 'web', port: 81, check: { ttl: '60s' } } });
    remove('db.json');
    agent!.proc.kill('SIGHUP');
    await within(10000, async () => JSON.stringify(await ports(url)) === JSON.stringify({ api: 9000, 'from-http': 5000, web: 81 }));
    // web changed its port, not its check: the check keeps its status.
    expect(await checkStatus(url)).to.deep.equal({ 'service:web': 'passing' });
    expect(agent!.output()).to.match(/configuration reloaded: services_added=api services_changed=web services_removed=db/);
  });

  it('praetor reload triggers the same sync and says so; a bad file makes it fail with the reason', async () => {
    const url = await start();
    write('cli.json', { service: { name: 'from-cli-reload', port: 7000 } });
    const ok = await runPraetor(['reload', `-http-addr=${agent!.host}:${agent!.port}`]);
    expect([ok.code, ok.stdout]).to.deep.equal([0, 'Configuration reload triggered\n']);
    expect(await ports(url)).to.deep.equal({ 'from-cli-reload': 7000 });
    write('zz-bad.json', '{"service": ');
    const bad = await runPraetor(['reload', `-http-addr=${agent!.host}:${agent!.port}`]);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.include('zz-bad.json');
    expect(await ports(url)).to.deep.equal({ 'from-cli-reload': 7000 });
  });

  it('PUT /v1/agent/reload syncs the same way and answers once done; node checks follow too', async () => {
    write('web.json', { service: { name: 'web', port: 80 }, check: { id: 'node-ttl', name: 'node ttl', ttl: '60s' } });
    const url = await start();
    await registerOverHttp(url);
    write('web.json', { service: { name: 'web', port: 80, tags: ['v2'] } });
    write('cache.json', { services: [{ name: 'cache', port: 6379 }, { name: 'queue', id: 'queue-1', port: 5672 }] });
    const res = await reload(url);
    expect([res.status, res.text]).to.deep.equal([200, '']);
    const now = await services(url);
    expect(Object.keys(now).sort()).to.deep.equal(['cache', 'from-http', 'queue-1', 'web']);
    expect(now.web.Tags).to.deep.equal(['v2']);
    expect(await checkStatus(url)).to.deep.equal({});
    remove('cache.json');
    expect((await reload(url)).status).to.equal(200);
    expect(Object.keys(await services(url)).sort()).to.deep.equal(['from-http', 'web']);
  });

  it('a reload that changes nothing bumps no index and keeps check statuses', async () => {
    write('web.json', { service: { name: 'web', port: 80, check: { ttl: '60s', status: 'critical' } }, node_meta: { rack: 'r1' } });
    const url = await start();
    await registerOverHttp(url);
    await http(`${url}/v1/agent/check/pass/service:web`, { method: 'PUT' });
    const paths = ['/v1/catalog/services', '/v1/catalog/nodes', '/v1/health/service/web', '/v1/agent/services', '/v1/agent/checks', '/v1/kv/any'];
    const indexes = async () => Promise.all(paths.map(async (p) => (await http(`${url}${p}`)).headers.get('x-consul-index')));
    const before = await indexes();
    expect((await reload(url)).status).to.equal(200);
    agent!.proc.kill('SIGHUP');
    await within(10000, () => (agent!.output().match(/configuration reloaded: no changes/g) ?? []).length === 2);
    expect(await indexes()).to.deep.equal(before);
    // The file says status "critical"; the check's definition did not change, so it stays passing.
    expect(await checkStatus(url)).to.deep.equal({ 'service:web': 'passing' });
  });

  it('an invalid file changes nothing: PUT answers 500 naming the file, SIGHUP logs it, the agent keeps running', async () => {
    write('web.json', { service: { name: 'web', port: 80 } });
    const url = await start();
    await registerOverHttp(url);
    write('api.json', { service: { name: 'api', port: 9000 } });
    const bad = path.join(confDir, 'zz-bad.json');
    write('zz-bad.json', '{"service": {"name": "web", ');
    const res = await reload(url);
    expect(res.status).to.equal(500);
    expect(res.text).to.include(bad);
    expect(res.text).to.match(/invalid JSON/);
    agent!.proc.kill('SIGHUP');
    await within(10000, () => /\[ERROR\] agent: reload failed; the running configuration is unchanged: error=config file .*zz-bad\.json/.test(agent!.output()));

    // A definition the agent refuses (no name) is refused the same way, with nothing applied.
    write('zz-bad.json', { service: { port: 1 } });
    const noName = await reload(url);
    expect([noName.status, noName.text]).to.deep.equal([500, `config file ${JSON.stringify(bad)}: service: Missing service name`]);
    // A node check bound to a service that does not exist fails inside the write: still nothing applied.
    write('zz-bad.json', { check: { id: 'orphan', service_id: 'nope', ttl: '10s' } });
    const orphan = await reload(url);
    expect(orphan.status).to.equal(500);
    expect(orphan.text).to.match(/^Failed reloading services and checks: .*nope/);

    expect(await ports(url)).to.deep.equal({ web: 80, 'from-http': 5000 });
    expect((await http(`${url}/v1/status/leader`)).status).to.equal(200);
    remove('zz-bad.json');
    expect((await reload(url)).status).to.equal(200);
    expect(await ports(url)).to.deep.equal({ api: 9000, web: 80, 'from-http': 5000 });
  });

  it('reloads the log level and node meta; warns that other changed settings need a restart', async () => {
    write('base.json', { log_level: 'info', node_meta: { rack: 'r1' } });
    const url = await start();
    const node = async () => (await http(`${url}/v1/catalog/nodes`)).json() as Array<{ Meta: Record<string, string> }>;
    // At info, a fired event is not logged (it is at debug).
    await http(`${url}/v1/event/fire/before-reload`, { method: 'PUT' });
    write('base.json', { log_level: 'debug', node_meta: { rack: 'r2' }, datacenter: 'elsewhere' });
    expect((await reload(url)).status).to.equal(200);
    await http(`${url}/v1/event/fire/after-reload`, { method: 'PUT' });
    const out = agent!.output();
    expect(out).to.not.include('event_name=before-reload');
    expect(out).to.include('event_name=after-reload');
    expect(out).to.match(/\[WARN\] {2}agent: datacenter changed in the configuration but cannot be reloaded: restart the agent/);
    expect((await node())[0].Meta).to.deep.equal({ rack: 'r2', 'consul-network-segment': '' });
    const self = (await http(`${url}/v1/agent/self`)).json() as { Config: { Datacenter: string } };
    expect(self.Config.Datacenter).to.equal('dc1');
  });

  it('with -data-dir, a service removed from the files while the agent was down is gone after start; HTTP ones stay', async () => {
    const dataDir = path.join(dir, 'data');
    const args = ['-server', '-bootstrap', `-data-dir=${dataDir}`, `-config-dir=${confDir}`, '-node=reload-durable', '-http-port=0'];
    write('web.json', { service: { name: 'web', port: 80 } });
    write('db.json', { service: { name: 'db', port: 5432 } });
    agent = await startAgent(args);
    await registerOverHttp(agent.url);
    expect(Object.keys(await services(agent.url)).sort()).to.deep.equal(['db', 'from-http', 'web']);
    expect(await agent.stop()).to.equal(0);

    remove('db.json');
    agent = await startAgent(args);
    expect(Object.keys(await services(agent.url)).sort()).to.deep.equal(['from-http', 'web']);
    const catalog = (await http(`${agent.url}/v1/catalog/services`)).json() as Record<string, string[]>;
    expect(Object.keys(catalog).sort()).to.deep.equal(['consul', 'from-http', 'web']);
  });
});
