import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import winston from 'winston';
import { AxiosClient, ConsulRegistrar, startTestAgent, validateRegistration, within, ResponseError, type TestAgent } from '../../src/index.js';

const quiet = winston.createLogger({ silent: true });

const index = new URL('../../src/index.js', import.meta.url).href;

/** A child process running `body` (an ES module) with the SDK as `sdk`; its output collected. */
function child(body: string, env: NodeJS.ProcessEnv): { proc: ChildProcess; out: () => string; exit: Promise<{ code: number | null; signal: string | null }> } {
  const script = `import winston from 'winston';\nconst sdk = await import(${JSON.stringify(index)});\nconst log = winston.createLogger({ transports: [new winston.transports.Console()] });\n${body}`;
  const proc = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return { proc, out: () => out, exit };
}

/** Issue 12, items 2 and 6: graceful shutdown waits for HTTP requests in flight; signals, exit codes, health. */
describe("issue 12: the registrar's lifecycle", function () {
  this.timeout(30000);
  let agent: TestAgent;
  before(async () => (agent = await startTestAgent()));
  after(() => agent?.stop());

  it('gracefulShutdown: true (no drain): SIGTERM mid-request, the request still gets its whole answer, then exit 0', async () => {
    const c = child(
      `import('node:http').then(async ({ default: http }) => {
        const server = http.createServer((req, res) => { console.log('request started'); setTimeout(() => res.end('slow answer'), 1500); });
        await new Promise((r) => server.listen(0, '127.0.0.1', r));
        const reg = new sdk.ConsulRegistrar(new sdk.AxiosClient(), { Name: 'slow', Port: server.address().port }, log, { gracefulShutdown: { propagationMs: 50 } });
        await reg.register();
        console.log('port ' + server.address().port);
      });`,
      { PRAETOR_HTTP_ADDR: agent.url },
    );
    try {
      const port = await within(10000, () => /port (\d+)/.exec(c.out())?.[1], 'the child listening');
      const answer = fetch(`http://127.0.0.1:${port}/`).then(async (r) => `${r.status} ${await r.text()}`, (e: Error) => `failed: ${e.message}`);
      await within(5000, () => c.out().includes('request started'), 'the request in flight');
      c.proc.kill('SIGTERM');
      expect(await answer).to.equal('200 slow answer');
      expect(await c.exit, c.out()).to.deep.equal({ code: 0, signal: null });
      expect(c.out()).to.contain('waiting for the HTTP requests in flight');
    } finally {
      c.proc.kill('SIGKILL');
    }
  });

  it('a second SIGINT during the graceful shutdown exits at once with 130, as Node would', async () => {
    const c = child(
      `const reg = new sdk.ConsulRegistrar(new sdk.AxiosClient(), { Name: 'stubborn', Port: 1 }, log, { gracefulShutdown: { propagationMs: 60000 } });
      await reg.register();
      setInterval(() => {}, 1000); // the app's own work keeps it up
      console.log('registered');`,
      { PRAETOR_HTTP_ADDR: agent.url },
    );
    try {
      await within(10000, () => c.out().includes('registered'), 'registered');
      c.proc.kill('SIGINT');
      await within(5000, () => c.out().includes('shutting down gracefully'), 'the graceful shutdown under way');
      c.proc.kill('SIGINT');
      expect(await c.exit, c.out()).to.deep.equal({ code: 130, signal: null });
    } finally {
      c.proc.kill('SIGKILL');
    }
  });

  it('exits 1 when deregistering failed (the registry went away)', async () => {
    const other = await startTestAgent();
    const c = child(
      `const reg = new sdk.ConsulRegistrar(new sdk.AxiosClient(), { Name: 'orphan', Port: 1 }, log, { gracefulShutdown: { propagationMs: 10 } });
      await reg.register();
      setInterval(() => {}, 1000); // the app's own work keeps it up
      console.log('registered');`,
      { PRAETOR_HTTP_ADDR: other.url },
    );
    try {
      await within(10000, () => c.out().includes('registered'), 'registered');
      await other.stop();
      c.proc.kill('SIGTERM');
      expect(await c.exit, c.out()).to.deep.equal({ code: 1, signal: null });
      expect(c.out()).to.contain('deregistration failed');
    } finally {
      c.proc.kill('SIGKILL');
      await other.stop();
    }
  });

  it('removeSignalHandlers() removes every handler it installed, custom signals too; deregister() disarms them', async () => {
    const count = () => ['SIGINT', 'SIGTERM', 'SIGUSR2', 'SIGHUP'].map((s) => process.listenerCount(s)).join();
    const before = count();
    const client = new AxiosClient({ addresses: [agent.url] });
    const custom = new ConsulRegistrar(client, { Name: 'sig', Port: 1 }, quiet, { watchdogMs: 0, gracefulShutdown: { signals: ['SIGUSR2', 'SIGHUP'] } });
    expect(count()).to.not.equal(before);
    custom.removeSignalHandlers();
    expect(count()).to.equal(before);
    const manual = new ConsulRegistrar(client, { Name: 'sig', Port: 1 }, quiet, { watchdogMs: 0, gracefulShutdown: true });
    await manual.register();
    expect(count()).to.not.equal(before);
    await manual.deregister();
    expect(count(), 'a manual deregister() leaves no handler behind').to.equal(before);
  });

  it("a health function sets the TTL check's status and output: the registry shows the app's own health", async () => {
    const client = new AxiosClient({ addresses: [agent.url] });
    let health: 'passing' | 'warning' | 'critical' = 'warning';
    const reg = new ConsulRegistrar(client, { Name: 'selfaware', Port: 1, Check: { TTL: '300ms' } }, quiet, {
      watchdogMs: 0,
      health: () => ({ status: health, output: `disk at ${health === 'warning' ? 91 : 99}%` }),
    });
    const check = async () => {
      const [e] = (await client.healthService('selfaware')).value;
      return e?.Checks.find((c) => c.ServiceID === 'selfaware');
    };
    try {
      await reg.register();
      await within(5000, async () => (await check())?.Status === 'warning');
      expect((await check())?.Output).to.equal('disk at 91%');
      health = 'critical';
      await within(5000, async () => (await check())?.Status === 'critical');
      expect((await client.healthService('selfaware', { passing: true })).value).to.deep.equal([]);
    } finally {
      await reg.deregister();
    }
  });

  it('a health function that throws reports critical, with the error as output', async () => {
    const client = new AxiosClient({ addresses: [agent.url] });
    const reg = new ConsulRegistrar(client, { Name: 'broken-health', Port: 1, Check: { TTL: '300ms' } }, quiet, {
      watchdogMs: 0,
      health: () => {
        throw new Error('database unreachable');
      },
    });
    try {
      await reg.register();
      const check = async () => (await client.healthService('broken-health')).value[0]?.Checks.find((c) => c.ServiceID === 'broken-health');
      // A TTL check starts critical, so the error changes only its output: as with Consul, the
      // agent shows it at once and the catalog within check_update_interval (5m by default).
      const agentCheck = async () => {
        const checks = (await (await fetch(`${agent.url}/v1/agent/checks`)).json()) as Record<string, { ServiceID: string; Status: string; Output: string }>;
        return Object.values(checks).find((c) => c.ServiceID === 'broken-health');
      };
      await within(5000, async () => (await check())?.Status === 'critical' && (await agentCheck())?.Output.includes('database unreachable'));
      expect((await agentCheck())?.Status).to.equal('critical');
    } finally {
      await reg.deregister();
    }
  });

  it('script checks (Args) pass validation; the agent that allows them runs them, one that does not says so', async () => {
    const reg = { Name: 'scripted', Port: 1, Check: { Args: ['/bin/true'], Interval: '1s' } };
    expect(() => validateRegistration(reg)).to.not.throw();
    const refusing = new ConsulRegistrar(new AxiosClient({ addresses: [agent.url] }), reg, quiet, { watchdogMs: 0 });
    const err = await refusing.register().then(() => null, (e: Error) => e);
    expect(err).to.be.instanceOf(ResponseError);
    const allowing = await startTestAgent({ config: { enable_script_checks: true } });
    try {
      const client = new AxiosClient({ addresses: [allowing.url] });
      const r = new ConsulRegistrar(client, reg, quiet, { watchdogMs: 0 });
      await r.register();
      await within(10000, async () => (await client.healthService('scripted', { passing: true })).value.length === 1);
      await r.deregister();
    } finally {
      await allowing.stop();
    }
  });
});
