import { expect } from 'chai';
import Consul from 'consul';
import fs from 'node:fs';
import path from 'node:path';
import { http, startAgent, tempDir, within, type AgentProcess } from './harness.js';

interface Check {
  CheckID: string;
  Status: string;
  Output: string;
}

/**
 * The agent's check-output settings, as Consul 1.8.7 answers the same steps:
 * check_update_interval (an output-only change reaches the catalog later; the agent's own
 * endpoints show it at once), discard_check_output and check_output_max_size.
 */
describe('check outputs: check_update_interval, discard_check_output, check_output_max_size', function () {
  this.timeout(60_000);
  const agents: AgentProcess[] = [];
  const clients: Consul[] = [];
  after(async () => {
    for (const c of clients) c.destroy();
    await Promise.all(agents.map((a) => a.stop()));
  });

  async function start(config: Record<string, unknown>): Promise<{ agent: AgentProcess; consul: Consul }> {
    const dir = tempDir('praetor-check-outputs-');
    const file = path.join(dir, 'agent.json');
    fs.writeFileSync(file, JSON.stringify(config));
    const agent = await startAgent(['-dev', '-node=n1', '-log-level=warn', '-http-port=0', '-dns-port=0', `-config-file=${file}`]);
    agents.push(agent);
    const consul = new Consul({ host: agent.host, port: agent.port });
    clients.push(consul);
    return { agent, consul };
  }
  const agentCheck = async (a: AgentProcess, id: string) => ((await (await http(`${a.url}/v1/agent/checks`)).json()) as Record<string, Check>)[id]!;
  const debugConfig = async (a: AgentProcess) => ((await (await http(`${a.url}/v1/agent/self`)).json()) as { DebugConfig: Record<string, unknown> }).DebugConfig;
  const catalogCheck = async (a: AgentProcess, id: string) => {
    const res = await http(`${a.url}/v1/health/node/n1`);
    return { check: (res.json() as Check[]).find((c) => c.CheckID === id)!, index: Number(res.headers.get('x-consul-index')) };
  };

  it('by default (5m) holds an output-only change back from the catalog, shows it on the agent, and writes a status change at once', async () => {
    const { agent, consul } = await start({});
    expect(await debugConfig(agent)).to.include({ CheckUpdateInterval: '5m0s', DiscardCheckOutput: false, CheckOutputMaxSize: 4096 });
    await consul.agent.check.register({ name: 'steady', id: 'steady', ttl: '60s' } as never);
    await consul.agent.check.pass({ id: 'steady', note: 'run 1' } as never);
    const first = await catalogCheck(agent, 'steady');
    expect(first.check).to.include({ Status: 'passing', Output: 'run 1' });

    await consul.agent.check.pass({ id: 'steady', note: 'run 2' } as never);
    expect(await agentCheck(agent, 'steady')).to.include({ Status: 'passing', Output: 'run 2' });
    const held = await catalogCheck(agent, 'steady');
    expect(held.check).to.include({ Status: 'passing', Output: 'run 1' });
    expect(held.index, 'no write to the catalog').to.equal(first.index);

    await consul.agent.check.warn({ id: 'steady', note: 'slow' } as never);
    expect((await catalogCheck(agent, 'steady')).check).to.include({ Status: 'warning', Output: 'slow' });
    expect(await agentCheck(agent, 'steady')).to.include({ Status: 'warning', Output: 'slow' });
  });

  it('with check_update_interval 1s writes the latest held output to the catalog a moment later', async () => {
    const { agent, consul } = await start({ check_update_interval: '1s' });
    await consul.agent.check.register({ name: 'steady', id: 'steady', ttl: '60s' } as never);
    await consul.agent.check.pass({ id: 'steady', note: 'a' } as never);
    await consul.agent.check.pass({ id: 'steady', note: 'b' } as never);
    await consul.agent.check.pass({ id: 'steady', note: 'c' } as never);
    expect((await catalogCheck(agent, 'steady')).check.Output).to.equal('a');
    await within(10_000, async () => (await catalogCheck(agent, 'steady')).check.Output === 'c');
  });

  it('with check_update_interval 0s writes every output change at once', async () => {
    const { agent, consul } = await start({ check_update_interval: '0s' });
    await consul.agent.check.register({ name: 'steady', id: 'steady', ttl: '60s' } as never);
    await consul.agent.check.pass({ id: 'steady', note: 'a' } as never);
    await consul.agent.check.pass({ id: 'steady', note: 'b' } as never);
    expect((await catalogCheck(agent, 'steady')).check).to.include({ Status: 'passing', Output: 'b' });
  });

  it('discard_check_output stores every output empty, on the agent and in the catalog; a reload turns it off', async () => {
    const { agent, consul } = await start({ discard_check_output: true });
    expect(await debugConfig(agent)).to.include({ DiscardCheckOutput: true });
    await consul.agent.check.register({ name: 'quiet', id: 'quiet', ttl: '60s' } as never);
    await consul.agent.check.pass({ id: 'quiet', note: 'hello' } as never);
    expect(await agentCheck(agent, 'quiet')).to.include({ Status: 'passing', Output: '' });
    expect((await catalogCheck(agent, 'quiet')).check).to.include({ Status: 'passing', Output: '' });
    // serfHealth is the node's, not a check the agent runs: its output stays.
    expect((await catalogCheck(agent, 'serfHealth')).check.Output).to.equal('Agent alive and reachable');

    const file = agent.proc.spawnargs.find((a) => a.startsWith('-config-file='))!.slice('-config-file='.length);
    fs.writeFileSync(file, JSON.stringify({ discard_check_output: false }));
    expect((await http(`${agent.url}/v1/agent/reload`, { method: 'PUT' })).status).to.equal(200);
    expect(await debugConfig(agent)).to.include({ DiscardCheckOutput: false });
    await consul.agent.check.fail({ id: 'quiet', note: 'down' } as never);
    expect((await catalogCheck(agent, 'quiet')).check).to.include({ Status: 'critical', Output: 'down' });
  });

  it("check_output_max_size caps every check's output; a check's OutputMaxSize may only lower it", async () => {
    const { agent } = await start({ check_output_max_size: 10, check_update_interval: '1s' });
    expect(await debugConfig(agent)).to.include({ CheckUpdateInterval: '1s', CheckOutputMaxSize: 10 });
    const put = (p: string, body?: unknown) => http(`${agent.url}${p}`, { method: 'PUT', body: body === undefined ? undefined : JSON.stringify(body) });
    for (const [id, max] of [['t', undefined], ['u', 5], ['v', 50]] as const) {
      expect((await put('/v1/agent/check/register', { Name: id, ID: id, TTL: '60s', ...(max ? { OutputMaxSize: max } : {}) })).status).to.equal(200);
      expect((await put(`/v1/agent/check/pass/${id}?note=0123456789abcdefghij`)).status).to.equal(200);
    }
    expect((await agentCheck(agent, 't')).Output).to.equal('0123456789 ... (captured 10 of 20 bytes)');
    expect((await agentCheck(agent, 'u')).Output).to.equal('01234 ... (captured 5 of 20 bytes)');
    expect((await agentCheck(agent, 'v')).Output).to.equal('0123456789 ... (captured 10 of 20 bytes)');
  });
});
