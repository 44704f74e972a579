import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { http, runPraetor, startAgent, tempDir, type AgentProcess } from './harness.js';

/** `praetor ARGS` against `agent` (through PRAETOR_HTTP_ADDR, so flags and arguments stay as typed). */
function cli(agent: AgentProcess, args: string[], cwd?: string) {
  return runPraetor(args, { env: { PRAETOR_HTTP_ADDR: `${agent.host}:${agent.port}`, CONSUL_HTTP_ADDR: '' }, cwd });
}

interface HealthCheck {
  CheckID: string;
  Status: string;
  Notes: string;
  ServiceID: string;
}

describe('praetor catalog, services, maint and info (a real agent)', function () {
  this.timeout(60000);
  let agent: AgentProcess;
  let dir: string;
  before(async () => {
    agent = await startAgent(['-dev', '-node=cat1', '-node-meta=rack:r1']);
  });
  after(async () => {
    await agent.stop();
  });
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    // Leave the agent as found: only its own node, no services, no maintenance.
    const services = (await http(`${agent.url}/v1/agent/services`)).json() as Record<string, unknown>;
    for (const id of Object.keys(services)) await http(`${agent.url}/v1/agent/service/deregister/${id}`, { method: 'PUT' });
    await http(`${agent.url}/v1/agent/maintenance?enable=false`, { method: 'PUT' });
  });

  it('catalog datacenters prints one a line', async () => {
    expect(await cli(agent, ['catalog', 'datacenters'])).to.deep.include({ code: 0, stdout: 'dc1\n', stderr: '' });
  });

  it('catalog nodes: the short table, -detailed, -service, -node-meta, and -near accepted', async () => {
    const self = (await http(`${agent.url}/v1/agent/self`)).json() as { Config: { NodeID: string } };
    const id = self.Config.NodeID;
    const short = await cli(agent, ['catalog', 'nodes']);
    expect(short).to.deep.include({ code: 0, stderr: '' });
    expect(short.stdout).to.equal(`Node  ID        Address    DC\ncat1  ${id.split('-')[0]}  127.0.0.1  dc1\n`);

    const detailed = await cli(agent, ['catalog', 'nodes', '-detailed']);
    expect(detailed.stdout.split('\n')[0]).to.match(/^Node\s+ID\s+Address\s+DC\s+TaggedAddresses\s+Meta$/);
    expect(detailed.stdout.split('\n')[1]).to.equal(
      `cat1  ${id}  127.0.0.1  dc1  lan=127.0.0.1, lan_ipv4=127.0.0.1, wan=127.0.0.1, wan_ipv4=127.0.0.1  consul-network-segment=, rack=r1`,
    );

    expect((await cli(agent, ['catalog', 'nodes', '-node-meta', 'rack=r1', '-near', '_agent'])).stdout).to.equal(short.stdout);
    expect(await cli(agent, ['catalog', 'nodes', '-node-meta=rack=r2'])).to.deep.include({
      code: 0,
      stdout: '',
      stderr: 'No nodes match the given query - try expanding your search.\n',
    });

    expect((await cli(agent, ['services', 'register', '-name=web', '-id=web1'])).code).to.equal(0);
    expect((await cli(agent, ['services', 'register', '-name=web', '-id=web2'])).code).to.equal(0);
    // One line per instance, as Consul prints it.
    expect((await cli(agent, ['catalog', 'nodes', '-service=web'])).stdout.split('\n').filter((l) => l.startsWith('cat1 '))).to.have.length(2);
    expect((await cli(agent, ['catalog', 'nodes', '-service=nosuch'])).stderr).to.equal('No nodes match the given query - try expanding your search.\n');
  });

  it('catalog services: names, -tags, -node, -node-meta', async () => {
    expect((await cli(agent, ['services', 'register', '-name=web', '-tag=b', '-tag=a'])).code).to.equal(0);
    expect(await cli(agent, ['catalog', 'services'])).to.deep.include({ code: 0, stdout: 'consul\nweb\n', stderr: '' });
    expect((await cli(agent, ['catalog', 'services', '-tags'])).stdout).to.equal('consul      \nweb         a,b\n');
    expect((await cli(agent, ['catalog', 'services', '-node', 'cat1'])).stdout).to.equal('consul\nweb\n');
    expect((await cli(agent, ['catalog', 'services', '-node-meta', 'rack=r1'])).stdout).to.equal('consul\nweb\n');
    for (const args of [['-node', 'nosuch'], ['-node-meta', 'rack=r9']]) {
      expect(await cli(agent, ['catalog', 'services', ...args])).to.deep.include({
        code: 0,
        stdout: '',
        stderr: 'No services match the given query - try expanding your search.\n',
      });
    }
  });

  it('services register from flags, then deregister -id', async () => {
    const res = await cli(agent, ['services', 'register', '-name=web', '-id=web-1', '-address=10.0.0.1', '-port=8080', '-tag=v1', '-tag=blue', '-meta', 'env=prod']);
    expect(res).to.deep.include({ code: 0, stdout: 'Registered service: web\n', stderr: '' });
    const svc = (await http(`${agent.url}/v1/agent/service/web-1`)).json() as Record<string, unknown>;
    expect(svc).to.deep.include({ ID: 'web-1', Service: 'web', Address: '10.0.0.1', Port: 8080, Tags: ['v1', 'blue'], Meta: { env: 'prod' } });

    expect(await cli(agent, ['services', 'deregister', '-id=web-1'])).to.deep.include({ code: 0, stdout: 'Deregistered service: web-1\n', stderr: '' });
    expect((await http(`${agent.url}/v1/agent/service/web-1`)).status).to.equal(404);
    const again = await cli(agent, ['services', 'deregister', '-id=web-1']);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.match(/^Error deregistering service "web-1": Unexpected response code: 404 \(Unknown service ID "web-1"/);
  });

  it('services register from JSON files ({"service"} and {"services"}), flags filling gaps; deregister by file', async () => {
    fs.writeFileSync(path.join(dir, 'api.json'), JSON.stringify({ service: { name: 'api', tags: ['x'], check: { ttl: '30s' } } }));
    fs.writeFileSync(path.join(dir, 'many.json'), JSON.stringify({ services: [{ Name: 's1' }, { name: 's2', id: 's2b', meta: { k: 'v' } }] }));
    const res = await cli(agent, ['services', 'register', '-port=9000', '-tag=extra', 'api.json', 'many.json'], dir);
    expect(res).to.deep.include({ code: 0, stdout: 'Registered service: api\nRegistered service: s1\nRegistered service: s2\n', stderr: '' });
    const services = (await http(`${agent.url}/v1/agent/services`)).json() as Record<string, { Port: number; Tags: string[]; Meta: Record<string, string> }>;
    expect(Object.keys(services).sort()).to.deep.equal(['api', 's1', 's2b']);
    expect(services.api).to.deep.include({ Port: 9000, Tags: ['x', 'extra'] });
    expect(services.s2b!.Meta).to.deep.equal({ k: 'v' });
    const checks = (await http(`${agent.url}/v1/agent/checks`)).json() as Record<string, { ServiceID: string }>;
    expect(checks['service:api']?.ServiceID).to.equal('api');

    expect(await cli(agent, ['services', 'deregister', 'many.json'], dir)).to.deep.include({
      code: 0,
      stdout: 'Deregistered service: s1\nDeregistered service: s2b\n',
      stderr: '',
    });
    expect(Object.keys((await http(`${agent.url}/v1/agent/services`)).json() as object)).to.deep.equal(['api']);
  });

  it('services register refuses HCL, bad and missing files with a clear error, registering nothing', async () => {
    fs.writeFileSync(path.join(dir, 'web.hcl'), 'service { name = "web" }');
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"service":');
    fs.writeFileSync(path.join(dir, 'second-bad.json'), JSON.stringify({ services: [{ name: 'good' }, { port: 1 }] }));
    fs.writeFileSync(path.join(dir, 'empty.json'), '{}');
    const cases: [string, RegExp][] = [
      ['web.hcl', /^Error: config file "web\.hcl": HCL is not supported.*use JSON/],
      ['broken.json', /^Error: config file "broken\.json": invalid JSON at line/],
      ['second-bad.json', /^Error: config file "second-bad\.json": services\[1\]: Missing service name/],
      ['empty.json', /^Error: no service definitions/],
      ['nosuch.json', /^Error: cannot read "nosuch\.json": no such file or directory/],
    ];
    for (const [file, message] of cases) {
      const res = await cli(agent, ['services', 'register', file], dir);
      expect(res.code, file).to.equal(1);
      expect(res.stdout, file).to.equal('');
      expect(res.stderr, file).to.match(message);
    }
    expect((await http(`${agent.url}/v1/agent/services`)).json()).to.deep.equal({});
    // An invalid registration from flags is the agent's 400, as Consul's command shows it.
    const bad = await cli(agent, ['services', 'register', '-name=bad', '-meta=consul-x=1']);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/^Error registering service "bad": Unexpected response code: 400 \(Invalid Service Meta/);
  });

  it('maint enables and disables node and service maintenance, visible in /v1/health, and lists it', async () => {
    expect((await cli(agent, ['services', 'register', '-name=web'])).code).to.equal(0);
    expect(await cli(agent, ['maint'])).to.deep.include({ code: 0, stdout: '', stderr: '' });

    expect(await cli(agent, ['maint', '-enable'])).to.deep.include({ code: 0, stdout: 'Node maintenance is now enabled\n' });
    expect(await cli(agent, ['maint', '-enable', '-service=web', '-reason', 'upgrading db'])).to.deep.include({
      code: 0,
      stdout: 'Service maintenance is now enabled for "web"\n',
    });
    const nodeChecks = (await http(`${agent.url}/v1/health/node/cat1`)).json() as HealthCheck[];
    expect(nodeChecks.find((c) => c.CheckID === '_node_maintenance')?.Status).to.equal('critical');
    const svcMaint = nodeChecks.find((c) => c.CheckID === '_service_maintenance:web');
    expect([svcMaint?.Status, svcMaint?.Notes]).to.deep.equal(['critical', 'upgrading db']);
    expect((await http(`${agent.url}/v1/health/service/web?passing`)).json()).to.deep.equal([]);

    expect((await cli(agent, ['maint'])).stdout).to.equal(
      'Node:\n  Name:   cat1\n  Reason: Maintenance mode is enabled for this node, but no reason was provided. This is a default message.\n\n' +
        'Service:\n  ID:     web\n  Reason: upgrading db\n\n',
    );

    expect(await cli(agent, ['maint', '-disable', '-service=web'])).to.deep.include({ code: 0, stdout: 'Service maintenance is now disabled for "web"\n' });
    expect(await cli(agent, ['maint', '-disable'])).to.deep.include({ code: 0, stdout: 'Node maintenance is now disabled\n' });
    const after = (await http(`${agent.url}/v1/health/node/cat1`)).json() as HealthCheck[];
    expect(after.map((c) => c.CheckID)).to.deep.equal(['serfHealth']);
    expect(((await http(`${agent.url}/v1/health/service/web?passing`)).json() as unknown[]).length).to.equal(1);

    const unknown = await cli(agent, ['maint', '-enable', '-service=nosuch']);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.equal('Error enabling service maintenance: Unexpected response code: 404 (No service registered with ID "nosuch")\n');
    for (const [args, message] of [
      [['-enable', '-disable'], 'Only one of -enable or -disable may be provided\n'],
      [['-reason=x'], 'Reason may only be provided with -enable\n'],
      [['-service=web'], 'Service requires either -enable or -disable\n'],
    ] as const) {
      expect(await cli(agent, ['maint', ...args])).to.deep.include({ code: 1, stdout: '', stderr: message });
    }
  });

  it('info prints the Stats sections, sorted, with Praetor\'s values', async () => {
    expect((await cli(agent, ['services', 'register', '-name=web'])).code).to.equal(0);
    const res = await cli(agent, ['info']);
    expect(res.code).to.equal(0);
    const sections = res.stdout.split('\n').filter((l) => /^\S+:$/.test(l));
    expect(sections).to.deep.equal(['agent:', 'build:', 'consul:', 'raft:', 'runtime:', 'serf_lan:']);
    expect(res.stdout).to.match(/^agent:\n\tcheck_monitors = 0\n\tcheck_ttls = 0\n\tchecks = 0\n\tservices = 1\nbuild:\n\tprerelease = \n\trevision = praetor\n\tversion = 1\.8\.7\n/);
    expect(res.stdout).to.include('\tleader = true\n');
    expect(res.stdout).to.include('serf_lan:\n\tencrypted = false\n\tfailed = 0\n\thealth_score = 0\n\tleft = 0\n\tmembers = 1\n');
  });
});
