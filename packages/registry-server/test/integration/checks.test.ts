import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import http_ from 'node:http';
import net from 'node:net';
import { healthService } from '../../src/agent/checks/health-proto.js';
import { http, startAgent, within, type AgentProcess } from './harness.js';

interface Check {
  Status: string;
  Output: string;
  Type: string;
}

/** Each check type run by a real agent process against real local servers. */
describe('health checks run by the agent', function () {
  this.timeout(30000);
  let agent: AgentProcess;
  before(async () => {
    agent = await startAgent(['-dev', '-enable-script-checks', '-log-level=warn']);
  });
  after(() => agent.stop());

  const register = async (body: unknown) => {
    const res = await http(`${agent.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify(body) });
    expect(res.status, res.text).to.equal(200);
  };
  const check = async (id: string): Promise<Check> => ((await http(`${agent.url}/v1/agent/checks`)).json() as Record<string, Check>)[id];
  const becomes = (id: string, status: string) => within(10000, async () => (await check(id))?.Status === status);

  it('HTTP: 2xx passing, 429 warning, 500 critical; output names the request', async () => {
    let code = 200;
    const server = http_.createServer((_req, res) => {
      res.writeHead(code);
      res.end(`status ${code}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await register({ Name: 'h', Port: port, Check: { HTTP: `http://127.0.0.1:${port}/health`, Interval: '100ms' } });
      await becomes('service:h', 'passing');
      expect((await check('service:h')).Output).to.match(/HTTP GET http:\/\/127\.0\.0\.1:\d+\/health: 200 OK Output: status 200/);
      // Probes that change nothing write nothing: the service's index stays put.
      const idx = (await http(`${agent.url}/v1/health/service/h`)).headers.get('x-consul-index');
      await new Promise((r) => setTimeout(r, 600));
      expect((await http(`${agent.url}/v1/health/service/h`)).headers.get('x-consul-index')).to.equal(idx);
      code = 429;
      await becomes('service:h', 'warning');
      code = 500;
      await becomes('service:h', 'critical');
    } finally {
      server.close();
      await http(`${agent.url}/v1/agent/service/deregister/h`, { method: 'PUT' });
    }
  });

  it('TCP: passing while something listens, critical once it stops', async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await register({ Name: 't', Port: port, Check: { TCP: `127.0.0.1:${port}`, Interval: '100ms' } });
    await becomes('service:t', 'passing');
    await new Promise((r) => server.close(r));
    await becomes('service:t', 'critical');
    await http(`${agent.url}/v1/agent/service/deregister/t`, { method: 'PUT' });
  });

  it('gRPC: grpc.health.v1 SERVING is passing, NOT_SERVING critical', async () => {
    let status = 'SERVING';
    const server = new grpc.Server();
    server.addService(healthService().service, {
      Check: (_call: unknown, cb: grpc.sendUnaryData<{ status: string }>) => cb(null, { status }),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    try {
      await register({ Name: 'g', Port: port, Check: { GRPC: `127.0.0.1:${port}`, Interval: '100ms' } });
      await becomes('service:g', 'passing');
      status = 'NOT_SERVING';
      await becomes('service:g', 'critical');
    } finally {
      server.forceShutdown();
      await http(`${agent.url}/v1/agent/service/deregister/g`, { method: 'PUT' });
    }
  });

  it('TTL: passes on pass, expires to critical "TTL expired"', async () => {
    await register({ Name: 'ttl', Check: { TTL: '500ms' } });
    await http(`${agent.url}/v1/agent/check/pass/service:ttl`, { method: 'PUT' });
    expect((await check('service:ttl')).Status).to.equal('passing');
    await becomes('service:ttl', 'critical');
    expect((await check('service:ttl')).Output).to.equal('TTL expired');
  });

  it('script: exit 1 is warning, exit 0 passing (with -enable-script-checks)', async () => {
    await register({ Name: 's', Checks: [{ Args: ['/bin/sh', '-c', 'echo hmm; exit 1'], Interval: '100ms' }, { Args: ['/bin/true'], Interval: '100ms' }] });
    await becomes('service:s:1', 'warning');
    expect((await check('service:s:1')).Output).to.contain('hmm');
    await becomes('service:s:2', 'passing');
  });

  it('local service health by name is the worst of its instances: 200 passing, 429 warning, 503 critical, 404 unknown', async () => {
    await register({ Name: 'agg', ID: 'agg-1', Check: { TTL: '60s', Status: 'passing' } });
    await register({ Name: 'agg', ID: 'agg-2', Check: { TTL: '60s', Status: 'passing' } });
    const health = async () => {
      const res = await http(`${agent.url}/v1/agent/health/service/name/agg?format=text`);
      return [res.status, res.text];
    };
    expect(await health()).to.deep.equal([200, 'passing']);
    await http(`${agent.url}/v1/agent/check/warn/service:agg-2`, { method: 'PUT' });
    expect(await health()).to.deep.equal([429, 'warning']);
    await http(`${agent.url}/v1/agent/check/fail/service:agg-1`, { method: 'PUT' });
    expect(await health()).to.deep.equal([503, 'critical']);
    const json = (await http(`${agent.url}/v1/agent/health/service/name/agg`)).json() as Array<{ AggregatedStatus: string; Service: { ID: string } }>;
    expect(json.map((h) => [h.Service.ID, h.AggregatedStatus])).to.deep.equal([['agg-1', 'critical'], ['agg-2', 'warning']]);
    expect((await http(`${agent.url}/v1/agent/health/service/name/nope`)).status).to.equal(404);
  });

  it('maintenance mode takes an instance out of passing results and back', async () => {
    await register({ Name: 'm', Check: { TTL: '60s', Status: 'passing' } });
    const passing = async () => ((await http(`${agent.url}/v1/health/service/m?passing`)).json() as unknown[]).length;
    expect(await passing()).to.equal(1);
    await http(`${agent.url}/v1/agent/service/maintenance/m?enable=true&reason=deploy`, { method: 'PUT' });
    expect(await passing()).to.equal(0);
    expect((await check('_service_maintenance:m')).Status).to.equal('critical');
    const health = await http(`${agent.url}/v1/agent/health/service/id/m?format=text`);
    expect([health.status, health.text]).to.deep.equal([503, 'maintenance']);
    await http(`${agent.url}/v1/agent/service/maintenance/m?enable=false`, { method: 'PUT' });
    expect(await passing()).to.equal(1);
  });
});
