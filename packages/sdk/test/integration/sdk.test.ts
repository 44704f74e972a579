import { spawn } from 'node:child_process';
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import winston from 'winston';
import {
  AxiosClient,
  ConsulInstancer,
  ConsulRegistrar,
  DefaultEndpointer,
  InvalidRegistrationError,
  KvWatcher,
  startTestAgent,
  syncKeyToFile,
  type InstancerEvent,
  type TestAgent,
  within,
  freePort,
} from '../../src/index.js';

const log = winston.createLogger({ silent: true });



/** The SDK against a real `praetor agent -dev`, started with the SDK's own startTestAgent(). */
describe('@praetor/sdk against a real agent', function () {
  this.timeout(30000);
  let agent: TestAgent;
  let client: AxiosClient;
  before(async () => {
    agent = await startTestAgent();
    client = new AxiosClient({ addresses: [agent.url] });
  });
  after(() => agent?.stop());

  it('Instancer publishes the full sorted set of passing instances and follows changes', async () => {
    const events: InstancerEvent[] = [];
    const inst = new ConsulInstancer(client, log, { service: 'calc', waitMs: 5000 });
    inst.register((e) => events.push(e));
    await within(5000, () => inst.status().state === 'synced');
    const r1 = new ConsulRegistrar(client, { Name: 'calc', ID: 'calc-2', Address: '127.0.0.2', Port: 9002, Tags: ['v1'], Meta: { zone: 'b' }, Weights: { Passing: 5, Warning: 1 } }, log, { watchdogMs: 0 });
    const r2 = new ConsulRegistrar(client, { Name: 'calc', ID: 'calc-1', Address: '127.0.0.1', Port: 9001 }, log, { watchdogMs: 0 });
    await r1.register();
    await r2.register();
    const last = () => events[events.length - 1]?.instances ?? [];
    await within(5000, () => last().length === 2);
    expect(last().map((i) => i.key)).to.deep.equal(['127.0.0.1:9001', '127.0.0.2:9002']);
    expect(last()[1]).to.deep.include({ id: 'calc-2', tags: ['v1'], meta: { zone: 'b' }, weights: { passing: 5, warning: 1 } });
    await r1.deregister();
    await within(5000, () => last().length === 1);
    expect(last().map((i) => i.key)).to.deep.equal(['127.0.0.1:9001']);
    await r2.deregister();
    await inst.stop();
  });

  it('Registrar keeps a TTL check passing with heartbeats and re-registers when the agent forgets it', async () => {
    const reg = new ConsulRegistrar(client, { Name: 'ttl-svc', Port: 7000, Check: { TTL: '600ms' } }, log, { watchdogMs: 200 });
    await reg.register();
    const passing = async () => ((await client.healthService('ttl-svc', { passing: true })).value.length === 1);
    await within(5000, passing);
    // Longer than the TTL: still passing thanks to the heartbeat.
    await new Promise((r) => setTimeout(r, 900));
    expect(await passing()).to.equal(true);
    // The agent loses the registration (as after a restart of a -dev agent): it comes back.
    await fetch(`${agent.url}/v1/agent/service/deregister/ttl-svc`, { method: 'PUT' });
    await within(5000, passing);
    await reg.deregister();
    expect((await client.healthService('ttl-svc')).value).to.deep.equal([]);
  });

  it('refuses a malformed registration before any request, saying what is wrong', () => {
    expect(() => new ConsulRegistrar(client, { Name: '', Port: 70000, Check: { HTTP: 'ftp://x', TTL: '10' } } as never, log)).to.throw(
      InvalidRegistrationError,
      /Name is required.*Port 70000.*exactly one of HTTP, TCP, GRPC, TTL or Args.*"10" is not a duration/,
    );
  });

  it('starts with the agent unreachable, retries in the background and registers once it is up', async () => {
    const port = await freePort();
    const lateClient = new AxiosClient({ addresses: [`127.0.0.1:${port}`] });
    const reg = new ConsulRegistrar(lateClient, { Name: 'late', Port: 1 }, log, { watchdogMs: 0, backoff: { initialMs: 50, maxMs: 200 } });
    const inst = new ConsulInstancer(lateClient, log, { service: 'late', passingOnly: false, waitMs: 2000, backoff: { initialMs: 50, maxMs: 200 } });
    const registered = reg.register();
    await within(5000, () => inst.status().state === 'failed' && inst.status().retries >= 2);
    const late = await startTestAgent({ args: [`-http-port=${port}`] });
    try {
      await registered;
      await within(10000, () => inst.status().state === 'synced');
      const events: InstancerEvent[] = [];
      inst.register((e) => events.push(e));
      await within(5000, () => events.at(-1)?.instances.length === 1);
    } finally {
      await inst.stop();
      await late.stop();
    }
  });

  it('a script awaiting register() while the agent is down stays alive until it registers', async () => {
    const port = await freePort();
    const index = new URL('../../src/index.js', import.meta.url).href;
    const script = `
      import winston from 'winston';
      const { AxiosClient, ConsulRegistrar } = await import(${JSON.stringify(index)});
      const reg = new ConsulRegistrar(new AxiosClient({ addresses: ['127.0.0.1:${port}'] }), { Name: 'patient', Port: 1 },
        winston.createLogger({ silent: true }), { watchdogMs: 0, backoff: { initialMs: 100, maxMs: 300 } });
      await reg.register();
      console.log('registered');
      await reg.deregister();`;
    const cwd = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise((r) => setTimeout(r, 1000));
    const late = await startTestAgent({ args: [`-http-port=${port}`] });
    try {
      expect({ code: await exit, out: out.trim() }).to.deep.equal({ code: 0, out: 'registered' });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await late.stop();
    }
  });

  it('Instancer recovers when the agent restarts mid-watch (index goes backwards)', async () => {
    const port = await freePort();
    let a = await startTestAgent({ args: [`-http-port=${port}`] });
    const c = new AxiosClient({ addresses: [a.url] });
    const inst = new ConsulInstancer(c, log, { service: 'phoenix', passingOnly: false, waitMs: 2000, backoff: { initialMs: 20, maxMs: 200 } });
    const events: InstancerEvent[] = [];
    inst.register((e) => events.push(e));
    try {
      for (let i = 0; i < 20; i++) await c.register({ Name: `filler-${i}`, Port: i });
      await c.register({ Name: 'phoenix', Port: 1 });
      await within(5000, () => events.at(-1)?.instances.length === 1);
      const before = inst.status().index;
      await a.stop();
      await within(5000, () => inst.status().state === 'stale');
      expect(events.at(-1)?.instances.length, 'keeps the last good set').to.equal(1);
      a = await startTestAgent({ args: [`-http-port=${port}`] });
      await c.register({ Name: 'phoenix', ID: 'phoenix-new', Port: 2 });
      await within(10000, () => events.at(-1)?.instances.map((i) => i.id).join() === 'phoenix-new' && !events.at(-1)?.error);
      expect(inst.status().index).to.be.lessThan(before);
    } finally {
      await inst.stop();
      await a.stop();
    }
  });

  it('Endpointer closes endpoints whose instances left', async () => {
    const closed: string[] = [];
    const inst = new ConsulInstancer(client, log, { service: 'ep', passingOnly: false, waitMs: 5000 });
    const ep = new DefaultEndpointer(inst, (i) => ({ endpoint: i.key, close: () => void closed.push(i.key) }), log);
    await client.register({ Name: 'ep', ID: 'ep-1', Address: '127.0.0.1', Port: 1 });
    await client.register({ Name: 'ep', ID: 'ep-2', Address: '127.0.0.1', Port: 2 });
    await within(5000, () => ep.endpoints().length === 2);
    await client.deregister('ep-1');
    await within(5000, () => closed.includes('127.0.0.1:1'));
    expect(ep.endpoints()).to.deep.equal(['127.0.0.1:2']);
    ep.close();
    await inst.stop();
  });

  it('client fails over to the next address and keeps answering', async () => {
    const dead = await freePort();
    const c = new AxiosClient({ addresses: [`127.0.0.1:${dead}`, agent.url] });
    const res = await c.healthService('consul');
    expect(res.index).to.be.greaterThan(0);
    expect(c.address).to.equal(agent.url);
  });

  it('KvWatcher keeps a local file equal to a KV value', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praetor-sdk-'));
    const file = path.join(dir, 'app.csv');
    const w = new KvWatcher(client, log, { key: 'config/app.csv', waitMs: 5000 });
    const stop = syncKeyToFile(w, 'config/app.csv', file, log);
    try {
      await fetch(`${agent.url}/v1/kv/config/app.csv`, { method: 'PUT', body: 'a,b\n1,2\n' });
      await within(5000, () => fs.existsSync(file) && fs.readFileSync(file, 'utf8') === 'a,b\n1,2\n');
      await fetch(`${agent.url}/v1/kv/config/app.csv`, { method: 'PUT', body: 'a,b\n3,4\n' });
      await within(5000, () => fs.readFileSync(file, 'utf8') === 'a,b\n3,4\n');
      await fetch(`${agent.url}/v1/kv/config/app.csv`, { method: 'DELETE' });
      await within(5000, () => !fs.existsSync(file));
    } finally {
      stop();
      await w.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
