import { expect } from 'chai';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort, http, runPraetor, startAgent, tempDir, within } from './harness.js';

/** `praetor agent` as a real process: flags, config files, signals, several side by side. */
describe('praetor agent process', function () {
  this.timeout(30000);
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stops promptly and cleanly on SIGTERM and on SIGINT, removing its pid file', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const pidFile = path.join(dir, `agent-${signal}.pid`);
      const agent = await startAgent(['-dev', `-pid-file=${pidFile}`]);
      expect(fs.readFileSync(pidFile, 'utf8').trim()).to.equal(String(agent.proc.pid));
      expect(await agent.stop(signal)).to.equal(0);
      expect(fs.existsSync(pidFile)).to.equal(false);
    }
  });

  it('runs several agents side by side on different loopback addresses with the same port', async () => {
    const port = await freePort('127.0.0.2');
    const a = await startAgent(['-dev', '-client=127.0.0.2', `-http-port=${port}`, '-node=a']);
    const b = await startAgent(['-dev', '-client=127.0.0.3', `-http-port=${port}`, '-node=b']);
    try {
      const selfA = (await http(`http://127.0.0.2:${port}/v1/agent/self`)).json() as { Config: { NodeName: string } };
      const selfB = (await http(`http://127.0.0.3:${port}/v1/agent/self`)).json() as { Config: { NodeName: string } };
      expect([selfA.Config.NodeName, selfB.Config.NodeName]).to.deep.equal(['a', 'b']);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('listens on every -client address given', async () => {
    const port = await freePort('127.0.0.2');
    const agent = await startAgent(['-dev', '-client=127.0.0.2 127.0.0.3', `-http-port=${port}`]);
    try {
      for (const host of ['127.0.0.2', '127.0.0.3']) expect((await http(`http://${host}:${port}/v1/status/leader`)).status, host).to.equal(200);
    } finally {
      await agent.stop();
    }
  });

  it('closes connections past limits.http_max_conns_per_client from one client', async () => {
    const f = path.join(dir, 'limits.json');
    fs.writeFileSync(f, JSON.stringify({ limits: { http_max_conns_per_client: 2 } }));
    const agent = await startAgent(['-dev', `-config-file=${f}`, '-http-port=0']);
    const sockets: net.Socket[] = [];
    try {
      const closed: boolean[] = [];
      for (let i = 0; i < 3; i++) {
        const s = net.connect(agent.port, agent.host);
        closed.push(false);
        s.on('close', () => (closed[i] = true));
        s.on('error', () => undefined);
        sockets.push(s);
        await new Promise((r) => s.once('connect', r));
      }
      await within(5000, () => closed[2]);
      expect(closed.slice(0, 2)).to.deep.equal([false, false]);
    } finally {
      for (const s of sockets) s.destroy();
      await agent.stop();
    }
  });

  it('registers services and checks from config files; later files win; Consul-only keys warn', async () => {
    const f1 = path.join(dir, 'a.json');
    const f2 = path.join(dir, 'b.json');
    fs.writeFileSync(f1, JSON.stringify({ datacenter: 'east', service: { name: 'from-file', port: 7000, tags: ['x'], check: { ttl: '60s', status: 'passing' } } }));
    fs.writeFileSync(f2, JSON.stringify({ datacenter: 'west', performance: { raft_multiplier: 1 } }));
    const agent = await startAgent(['-dev', `-config-file=${f1}`, `-config-file=${f2}`, '-http-port=0']);
    try {
      const self = (await http(`${agent.url}/v1/agent/self`)).json() as { Config: { Datacenter: string } };
      expect(self.Config.Datacenter).to.equal('west');
      const healthy = (await http(`${agent.url}/v1/health/service/from-file?passing`)).json() as Array<{ Service: { Port: number; Tags: string[] } }>;
      expect(healthy.map((e) => [e.Service.Port, e.Service.Tags])).to.deep.equal([[7000, ['x']]]);
      expect(agent.output()).to.match(/performance/);
    } finally {
      await agent.stop();
    }
  });

  it('refuses an unknown flag with a clear message and a non-zero exit', async () => {
    const res = await runPraetor(['agent', '-dev', '-bogus-flag']);
    expect(res.code).to.not.equal(0);
    expect(res.stderr).to.match(/flag provided but not defined: -bogus-flag/);
  });

  it('refuses a config file with a key that is not Consul\'s, naming the file and key', async () => {
    const f = path.join(dir, 'bad.json');
    fs.writeFileSync(f, JSON.stringify({ datacenter: 'dc1', not_a_consul_key: true }));
    const res = await runPraetor(['agent', '-dev', `-config-file=${f}`]);
    expect(res.code).to.not.equal(0);
    expect(res.stderr).to.include(f);
    expect(res.stderr).to.include('not_a_consul_key');
  });

  it('refuses an invalid JSON config file, naming it', async () => {
    const f = path.join(dir, 'broken.json');
    fs.writeFileSync(f, '{"datacenter": ');
    const res = await runPraetor(['agent', '-dev', `-config-file=${f}`]);
    expect(res.code).to.not.equal(0);
    expect(res.stderr).to.include(f);
  });

  it('requires -data-dir without -dev', async () => {
    const res = await runPraetor(['agent', '-server']);
    expect(res.code).to.not.equal(0);
    expect(res.stderr).to.match(/data.dir/i);
  });

  it('on shutdown, answers the blocking queries it holds (released, not cut) and exits 0', async () => {
    const agent = await startAgent(['-dev']);
    const first = await http(`${agent.url}/v1/catalog/nodes`);
    const idx = first.headers.get('x-consul-index');
    const pending = http(`${agent.url}/v1/catalog/nodes?index=${idx}&wait=60s`);
    await new Promise((r) => setTimeout(r, 200));
    const exited = agent.stop('SIGTERM');
    const res = await pending;
    expect([res.status, res.headers.get('x-consul-index')]).to.deep.equal([200, idx]);
    expect(await exited).to.equal(0);
  });

  it('keeps the agent up when a client disconnects mid blocking query', async () => {
    const agent = await startAgent(['-dev']);
    try {
      const ctrl = new AbortController();
      const first = await http(`${agent.url}/v1/catalog/nodes`);
      const pending = fetch(`${agent.url}/v1/catalog/nodes?index=${first.headers.get('x-consul-index')}&wait=30s`, { signal: ctrl.signal }).catch(() => 'aborted');
      ctrl.abort();
      expect(await pending).to.equal('aborted');
      await within(2000, async () => (await http(`${agent.url}/v1/status/leader`)).status === 200);
    } finally {
      await agent.stop();
    }
  });
});
