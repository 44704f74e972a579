import { expect } from 'chai';
import fs from 'node:fs';
import http_ from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { http, startAgent, tempDir, within, type AgentProcess } from './harness.js';

interface Check {
  Status: string;
  Output: string;
}

/** A loopback HTTP server that counts the requests it gets once armed. */
async function countingServer(): Promise<{ url: string; hits: () => number; arm: () => void; close: () => Promise<void> }> {
  let armed = false;
  let hits = 0;
  const server = http_.createServer((_req, res) => {
    if (armed) hits++;
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    arm: () => void (armed = true),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0);

/**
 * The agent runs only the checks it registered itself (config files, /v1/agent/*): checks on
 * its node that arrive as data (a restored snapshot, catalog/register, /v1/txn) are never run,
 * and the script-check flags are checked again at start and on reload.
 */
describe('checks the agent runs: only its own', function () {
  this.timeout(60000);
  let dir: string;
  const agents: AgentProcess[] = [];
  const servers: Array<{ close: () => Promise<void> }> = [];
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop();
    for (const s of servers.splice(0)) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const start = async (args: string[]) => {
    const a = await startAgent(['-server', ...args]);
    agents.push(a);
    return a;
  };
  const stop = async (a: AgentProcess) => {
    agents.splice(agents.indexOf(a), 1);
    await a.stop();
  };
  const put = (url: string, body: unknown) => http(url, { method: 'PUT', body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) });
  const checks = async (a: AgentProcess) => (await http(`${a.url}/v1/health/node/${nodeOf(a)}`)).json() as Array<Check & { CheckID: string }>;
  const nodeOf = (a: AgentProcess) => /-node=(\S+)/.exec(a.proc.spawnargs.join(' '))![1];
  const agentCheck = async (a: AgentProcess, id: string) => ((await http(`${a.url}/v1/agent/checks`)).json() as Record<string, Check>)[id];

  /**
   * An agent whose own config-file script check appends a line to `counter` every 200ms
   * (enable_local_script_checks on, enable_script_checks off): the clock the tests wait on.
   */
  const victim = async (node: string, counter: string) => {
    const conf = path.join(dir, 'control.json');
    fs.writeFileSync(conf, JSON.stringify({ check: { id: 'control', name: 'control', args: ['sh', '-c', `echo x >> ${counter}`], interval: '200ms', timeout: '5s' } }));
    return start([`-node=${node}`, `-data-dir=${path.join(dir, 'data')}`, '-enable-local-script-checks', `-config-file=${conf}`, '-log-level=debug']);
  };
  /** Waits until the control check ran `n` more times: every check on the node had as many chances to run. */
  const afterRuns = async (counter: string, n: number) => {
    const from = lines(counter);
    await within(15000, () => lines(counter) >= from + n);
  };

  it('a restored snapshot holding script, HTTP and TTL checks on its node runs none of them, before or after a restart', async () => {
    const node = `victim-${process.pid}`;
    const marker = path.join(dir, 'marker');
    const counter = path.join(dir, 'counter');
    const target = await countingServer();
    servers.push(target);

    // A scratch agent with the victim's node name registers the checks itself, so its archive holds them with their types.
    const scratch = await start(['-dev', `-node=${node}`, '-enable-script-checks', '-log-level=warn']);
    expect((await put(`${scratch.url}/v1/agent/check/register`, { Name: 'evil-script', Args: ['touch', marker], Interval: '200ms' })).status).to.equal(200);
    expect((await put(`${scratch.url}/v1/agent/check/register`, { Name: 'evil-http', HTTP: `${target.url}/ssrf`, Interval: '200ms' })).status).to.equal(200);
    expect((await put(`${scratch.url}/v1/agent/check/register`, { Name: 'evil-ttl', TTL: '60s', Status: 'passing' })).status).to.equal(200);
    const snap = await fetch(`${scratch.url}/v1/snapshot`);
    expect(snap.status).to.equal(200);
    const archive = Buffer.from(await snap.arrayBuffer());
    await stop(scratch);
    fs.rmSync(marker, { force: true });
    target.arm();

    let agent = await victim(node, counter);
    const restored = await put(`${agent.url}/v1/snapshot`, archive);
    expect(restored.status, restored.text).to.equal(200);
    const types = Object.fromEntries((await checks(agent)).map((c) => [c.CheckID, c.Status]));
    expect(types).to.include.keys('evil-script', 'evil-http', 'evil-ttl', 'control');

    for (let round = 0; round < 2; round++) {
      await afterRuns(counter, 5);
      expect(fs.existsSync(marker), 'the restored script ran').to.equal(false);
      expect(target.hits(), 'the restored HTTP check sent requests').to.equal(0);
      expect(agent.output()).not.to.match(/check runner started: check=evil/);
      expect(agent.output()).to.contain('[WARN]  checks: not running check "evil-script": this agent did not register it');
      // A TTL check the agent did not register takes no updates, as in Consul 1.8.7, and keeps its status.
      const pass = await put(`${agent.url}/v1/agent/check/pass/evil-ttl`, '');
      expect([pass.status, pass.text]).to.deep.equal([500, 'CheckID "evil-ttl" does not have associated TTL']);
      expect(Object.fromEntries((await checks(agent)).map((c) => [c.CheckID, c.Status]))['evil-ttl']).to.equal('passing');
      expect(Object.keys((await http(`${agent.url}/v1/agent/checks`)).json() as object)).to.deep.equal(['control']);
      // Restored rows stay data after a restart too.
      await stop(agent);
      if (round === 0) agent = await victim(node, counter);
    }
  });

  it('checks written through catalog/register and /v1/txn on its node are not run', async () => {
    const node = `victim-${process.pid}`;
    const marker = path.join(dir, 'marker');
    const counter = path.join(dir, 'counter');
    const target = await countingServer();
    servers.push(target);
    target.arm();
    const agent = await victim(node, counter);

    const reg = await put(`${agent.url}/v1/catalog/register`, {
      Node: node,
      Address: '127.0.0.1',
      SkipNodeUpdate: true,
      Checks: [
        { CheckID: 'cat-script', Name: 'cat-script', Status: 'passing', Definition: { ScriptArgs: ['touch', marker], Interval: '200ms' } },
        { CheckID: 'cat-http', Name: 'cat-http', Status: 'passing', Definition: { HTTP: `${target.url}/cat`, Interval: '200ms' } },
      ],
    });
    expect(reg.status, reg.text).to.equal(200);
    const txn = await put(`${agent.url}/v1/txn`, [
      { Check: { Verb: 'set', Check: { Node: node, CheckID: 'txn-http', Name: 'txn-http', Status: 'passing', Type: 'http', Definition: { HTTP: `${target.url}/txn`, Interval: '200ms' } } } },
    ]);
    expect(txn.status, txn.text).to.equal(200);

    await afterRuns(counter, 5);
    expect(fs.existsSync(marker)).to.equal(false);
    expect(target.hits()).to.equal(0);
    expect(agent.output()).not.to.match(/check runner started: check=(cat|txn)-/);
    const statuses = Object.fromEntries((await checks(agent)).map((c) => [c.CheckID, c.Status]));
    expect(statuses).to.include({ 'cat-script': 'passing', 'cat-http': 'passing', 'txn-http': 'passing', control: 'passing' });
    // They are catalog data, not the agent's checks (as in Consul).
    expect(Object.keys((await http(`${agent.url}/v1/agent/checks`)).json() as object)).to.deep.equal(['control']);
  });

  it('a config-file script check stops, critical with the reason, when a reload turns the script flags off; runs again when they are back on', async () => {
    const out = path.join(dir, 'runs');
    const conf = path.join(dir, 'agent.json');
    const target = await countingServer();
    servers.push(target);
    const config = (scripts: boolean) => ({
      enable_local_script_checks: scripts,
      checks: [
        { id: 'file-script', name: 'file-script', args: ['sh', '-c', `echo x >> ${out}`], interval: '200ms', timeout: '5s' },
        { id: 'clock', name: 'clock', http: `${target.url}/clock`, interval: '200ms' },
      ],
    });
    fs.writeFileSync(conf, JSON.stringify(config(true)));
    const agent = await start([`-data-dir=${path.join(dir, 'data')}`, `-config-file=${conf}`, '-log-level=info']);
    await within(10000, () => lines(out) >= 2);
    target.arm();

    fs.writeFileSync(conf, JSON.stringify(config(false)));
    agent.proc.kill('SIGHUP');
    const why = 'script check "file-script" is defined in the config files but enable_script_checks and enable_local_script_checks are off';
    // Critical, saying why (not a failed run: the script cannot fail).
    await within(10000, async () => (await agentCheck(agent, 'file-script'))?.Output.includes(why));
    expect((await agentCheck(agent, 'file-script')).Status).to.equal('critical');
    expect(agent.output()).to.contain(`[ERROR] checks: not running check "file-script": ${why}`);
    const clock = async (n: number) => {
      const from = target.hits();
      await within(15000, () => target.hits() >= from + n);
    };
    await clock(2); // a run already started when the flags changed may still finish
    const stopped = lines(out);
    await clock(5);
    expect(lines(out), 'the script kept running').to.equal(stopped);

    fs.writeFileSync(conf, JSON.stringify(config(true)));
    const reload = await put(`${agent.url}/v1/agent/reload`, '');
    expect(reload.status, reload.text).to.equal(200);
    await within(10000, () => lines(out) >= stopped + 2);
  });

  it('a script check registered over its own API runs and survives a restart; restarted without enable_script_checks, it stops and says why', async () => {
    const node = `own-${process.pid}`;
    const out = path.join(dir, 'runs');
    const data = path.join(dir, 'data');
    let agent = await start([`-node=${node}`, `-data-dir=${data}`, '-enable-script-checks', '-log-level=info']);
    const reg = await put(`${agent.url}/v1/agent/check/register`, { Name: 'mine', Args: ['sh', '-c', `echo x >> ${out}`], Interval: '200ms', Timeout: '5s' });
    expect(reg.status, reg.text).to.equal(200);
    await within(10000, () => lines(out) >= 2);
    await stop(agent);

    const before = lines(out);
    agent = await start([`-node=${node}`, `-data-dir=${data}`, '-enable-script-checks', '-log-level=info']);
    await within(10000, () => lines(out) >= before + 2);
    expect(await agentCheck(agent, 'mine')).to.include({ Status: 'passing' });
    await stop(agent);

    agent = await start([`-node=${node}`, `-data-dir=${data}`, '-log-level=info']);
    const why = 'script check "mine" was registered over the HTTP API but enable_script_checks is off';
    await within(10000, async () => (await agentCheck(agent, 'mine'))?.Output.includes(why));
    expect((await agentCheck(agent, 'mine')).Status).to.equal('critical');
    expect(agent.output()).to.contain(`[ERROR] checks: not running check "mine": ${why}`);
    // An HTTP check of its own is the clock: five probes, five chances for the script to run.
    const clock = await countingServer();
    servers.push(clock);
    clock.arm();
    expect((await put(`${agent.url}/v1/agent/check/register`, { Name: 'clock', HTTP: `${clock.url}/clock`, Interval: '200ms' })).status).to.equal(200);
    const stopped = lines(out);
    await within(15000, () => clock.hits() >= 5);
    expect(lines(out), 'the script ran without enable_script_checks').to.equal(stopped);
  });

  it('a data dir from before agents recorded their checks: the checks on its node are adopted once, scripts only with enable_script_checks', async () => {
    const node = `upgrade-${process.pid}`;
    const data = path.join(dir, 'data');
    const out = path.join(dir, 'runs');
    const clock = await countingServer();
    servers.push(clock);
    let agent = await start([`-node=${node}`, `-data-dir=${data}`, '-enable-script-checks', '-log-level=info']);
    expect((await put(`${agent.url}/v1/agent/check/register`, { Name: 'web-probe', HTTP: `${clock.url}/probe`, Interval: '200ms' })).status).to.equal(200);
    expect((await put(`${agent.url}/v1/agent/check/register`, { Name: 'old-script', Args: ['sh', '-c', `echo x >> ${out}`], Interval: '200ms', Timeout: '5s' })).status).to.equal(200);
    await stop(agent);
    // What an older Praetor left behind: the checks in the catalog, no record of who registered them.
    fs.rmSync(path.join(data, 'agent-checks.json'));

    clock.arm();
    agent = await start([`-node=${node}`, `-data-dir=${data}`, '-log-level=info']);
    await within(10000, () => clock.hits() >= 2);
    expect(agent.output()).to.match(/adopted the checks found on this node.*checks=web-probe$/m);
    expect(agent.output()).to.contain('not adopting check "old-script": script check "old-script" was registered over the HTTP API but enable_script_checks is off');
    const ran = lines(out);
    await within(10000, () => clock.hits() >= 7);
    expect(lines(out)).to.equal(ran);
  });
});
