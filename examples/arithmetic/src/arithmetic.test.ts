import { startTestAgent, type ServiceEntry, type TestAgent } from '@praetor/sdk';
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { freePort, getJson, startNode, within, type Proc } from './test-support.js';

const SERVICE = fileURLToPath(new URL('./main.js', import.meta.url));
const GATEWAY = fileURLToPath(new URL('./gateway-main.js', import.meta.url));

/** A safety cap on the request stream; the test fails if it is reached before the stream is told to stop. */
const MAX_REQUESTS = 20_000;

interface Expected {
  path: string;
  status: number;
  body: unknown;
}

/** The i-th request of the stream and its one right answer; every tenth is a division by zero. */
function request(i: number): Expected {
  const a = i;
  const b = (i % 7) + 1;
  if (i % 10 === 9) return { path: `/calculate/div/${a}/0`, status: 400, body: { error: 'division by zero', code: 'ARITH_ERR_DIVISION_BY_ZERO' } };
  const [op, result] = ([['add', a + b], ['sub', a - b], ['mul', a * b], ['div', a / b]] as const)[i % 4];
  return { path: `/calculate/${op}/${a}/${b}`, status: 200, body: { result } };
}

describe('arithmetic example: three instances behind the gateway, against a real agent', function () {
  this.timeout(90_000);
  let agent: TestAgent | undefined;
  const procs: Proc[] = [];

  after(async () => {
    // Programs first (the instances deregister through the agent), then the agent.
    await Promise.all(procs.map((p) => p.stop()));
    await agent?.stop();
  });

  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    for (const p of procs) process.stderr.write(`\n----- ${p.name} -----\n${p.output().slice(-20_000)}`);
    if (agent) process.stderr.write(`\n----- agent -----\n${agent.output().slice(-20_000)}`);
  });

  it('answers every request while one instance is SIGKILLed and one SIGTERMed, and converges on the survivor', async () => {
    agent = await startTestAgent();
    const registry = agent.url;
    const ports = [await freePort(), await freePort(), await freePort()];
    const ids = ['arithmetic-a', 'arithmetic-b', 'arithmetic-c'];
    const [killed, terminated, survivor] = ports.map((port, i) => {
      const p = startNode(ids[i], SERVICE, ['--port', String(port), '--id', ids[i], '--registry', registry, '--propagation-ms', '1000']);
      procs.push(p);
      return p;
    });
    const keys = ports.map((p) => `127.0.0.1:${p}`);
    const gatewayPort = await freePort();
    procs.push(startNode('gateway', GATEWAY, ['--port', String(gatewayPort), '--registry', registry, '--retry-max', '5', '--retry-timeout-ms', '10000']));
    const gw = `http://127.0.0.1:${gatewayPort}`;
    const instances = async () => (await getJson<{ instances: string[] }>(`${gw}/instances`)).body.instances;

    await within(30_000, async () => JSON.stringify(await instances()) === JSON.stringify([...keys].sort()), 'the gateway seeing all three instances');

    // A steady sequential stream of requests through the gateway, each checked against its answer.
    const failures: string[] = [];
    let answered = 0;
    let stop = false;
    const stream = (async () => {
      for (let i = 0; i < MAX_REQUESTS && !stop; i++) {
        const want = request(i);
        try {
          const have = await getJson(gw + want.path);
          if (JSON.stringify(have) !== JSON.stringify({ status: want.status, body: want.body })) {
            failures.push(`${want.path}: got ${JSON.stringify(have)}, want ${want.status} ${JSON.stringify(want.body)}`);
          }
        } catch (err) {
          failures.push(`${want.path}: ${(err as Error).message}`);
        }
        answered++;
      }
    })();

    await within(30_000, () => answered >= 50, '50 answers');
    killed.process.kill('SIGKILL');
    await within(30_000, () => answered >= 100, '100 answers');
    terminated.process.kill('SIGTERM');

    // SIGKILL: its HTTP check goes critical and it leaves the passing set. SIGTERM: maintenance,
    // drain, deregistration. Either way the gateway ends up balancing over the survivor alone.
    await within(30_000, async () => JSON.stringify(await instances()) === JSON.stringify([keys[2]]), 'the gateway converging on the survivor');
    const converged = answered;
    await within(30_000, () => answered >= converged + 50, '50 answers after convergence');
    stop = true;
    await stream;

    expect(failures).to.deep.equal([]);
    expect(answered).to.be.below(MAX_REQUESTS, 'the stream ran into its cap before the test stopped it');
    expect(await killed.exited).to.deep.equal({ code: null, signal: 'SIGKILL' });
    expect(await terminated.exited).to.deep.equal({ code: 0, signal: null });

    // The registry agrees: the SIGTERMed instance deregistered itself, the SIGKILLed one is
    // still registered (until DeregisterCriticalServiceAfter) but critical.
    const statuses = async () => {
      const { body } = await getJson<ServiceEntry[]>(`${registry}/v1/health/service/arithmetic`);
      return Object.fromEntries(body.map((e) => [e.Service.ID, e.Checks.filter((c) => c.ServiceID).map((c) => c.Status).join(',')]).sort());
    };
    await within(30_000, async () => JSON.stringify(await statuses()) === JSON.stringify({ 'arithmetic-a': 'critical', 'arithmetic-c': 'passing' }), 'the registry state');
    expect(survivor.process.exitCode).to.equal(null);
  });
});
