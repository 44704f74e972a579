import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxiosClient, startTestAgent, within, type TestAgent } from '@praetor/sdk';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Program {
  child: ChildProcess;
  /** Everything it printed, stdout and stderr. */
  output(): string;
  /** The exit code, once it exited. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after 15 s; resolves once it exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts `node dist/src/<script>.js args…`; every program started is stopped in an after hook. */
function run(script: string, args: string[], started: Program[]): Program {
  const child = spawn(process.execPath, [path.join(here, `${script}.js`), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const p: Program = {
    child,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 15000);
        await exited;
        clearTimeout(t);
      }
    },
  };
  started.push(p);
  return p;
}

/** The client's answers so far, in order: the server that answered, or "failed". */
function answers(client: Program): string[] {
  return [...client.output().matchAll(/^call \d+(?:: (\S+) answered| failed)/gm)].map((m) => m[1] ?? 'failed');
}

/**
 * The example end to end: a real Praetor agent, two `server.js` processes that register
 * themselves with a GRPC check, and a `client.js` process dialing praetor:///hello.
 */
describe('examples/hello-grpc', function () {
  this.timeout(90000);
  let agent: TestAgent;
  let registry: AxiosClient;
  const started: Program[] = [];

  before(async () => {
    agent = await startTestAgent();
    registry = new AxiosClient({ addresses: [agent.url] });
  });
  after(async () => {
    // Clients first, then servers (they deregister), then the agent; also after a failure.
    await Promise.all(started.filter((p) => p.child.spawnargs.some((a) => a.endsWith('client.js'))).map((p) => p.stop()));
    await Promise.all(started.map((p) => p.stop()));
    await agent?.stop();
  });

  it('spreads calls over two servers and moves them off one that is stopped with SIGTERM', async () => {
    const server = (id: string) => run('server', ['--id', id, '--registry', agent.url, '--check-interval', '1s', '--propagation-ms', '2000'], started);
    const a = server('hello-a');
    const b = server('hello-b');
    const passing = async () => (await registry.healthService('hello', { passing: true })).value.map((e) => e.Service.ID).sort();
    await within(30000, async () => (await passing()).join() === 'hello-a,hello-b');

    const client = run('client', ['--registry', agent.url, '--count', '0', '--interval-ms', '20'], started);
    // Both servers answer: round_robin comes from the resolver's default service config.
    await within(30000, () => new Set(answers(client).slice(-10)).size === 2 && answers(client).slice(-10).every((s) => s !== 'failed'));
    const before = answers(client).length;
    await within(30000, () => answers(client).length >= before + 20);
    const spread = answers(client).slice(before, before + 20);
    expect(spread.filter((s) => s === 'hello-a').length, spread.join()).to.be.at.least(5);
    expect(spread.filter((s) => s === 'hello-b').length, spread.join()).to.be.at.least(5);
    expect(spread).to.not.include('failed');

    // SIGTERM: hello-b goes into maintenance, waits, drains, deregisters and exits 0.
    const sigterm = answers(client).length;
    b.child.kill('SIGTERM');
    expect(await b.exited, b.output()).to.equal(0);
    expect(b.output()).to.match(/deregistered/);
    const all = async () => (await registry.healthService('hello')).value.map((e) => e.Service.ID);
    expect(await all(), 'gone from the registry, not just critical').to.deep.equal(['hello-a']);

    // Every call after hello-b left went to hello-a, and no call failed on the way.
    const left = answers(client).length;
    await within(30000, () => answers(client).length >= left + 20);
    expect(answers(client).slice(left)).to.satisfy((xs: string[]) => xs.every((s) => s === 'hello-a'));
    expect(answers(client).slice(sigterm), 'graceful: no call failed while hello-b left').to.not.include('failed');
    expect(a.child.exitCode).to.equal(null);
  });
});
