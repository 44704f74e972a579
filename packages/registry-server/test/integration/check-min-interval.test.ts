import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { http as request, startAgent, within, type AgentProcess } from './harness.js';

/** Issue 13 §2: a check Interval below 1 s runs every second, with a WARN, as Consul's MinInterval. */
describe('check intervals below 1s', function () {
  this.timeout(60_000);
  let agent: AgentProcess;
  let target: http.Server;
  const hits: number[] = [];

  before(async () => {
    target = http.createServer((_req, res) => {
      hits.push(performance.now());
      res.end('ok');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    agent = await startAgent(['-dev', '-log-level=warn']);
  });
  after(async () => {
    await agent?.stop();
    await new Promise((resolve) => target?.close(resolve));
  });

  it('a 10ms HTTP check is probed a second apart (at the least), and the agent warns', async () => {
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;
    const res = await request(`${agent.url}/v1/agent/check/register`, { method: 'PUT', body: JSON.stringify({ Name: 'fast', HTTP: url, Interval: '10ms' }) });
    expect(res.status).to.equal(200);
    await within(20_000, () => hits.length >= 3, 50);
    // Load can only delay a probe, never bring one forward: the gaps are at least the raised interval.
    const gaps = hits.slice(1).map((t, i) => t - hits[i]!);
    for (const gap of gaps) expect(gap).to.be.at.least(990);
    expect(agent.output()).to.match(/WARN.*check has interval below minimum.*check=fast.*minimum_interval=1s/);
  });
});
