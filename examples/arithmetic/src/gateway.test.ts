import { instance, FixedInstancer, type Factory } from '@praetor/sdk';
import { expect } from 'chai';
import winston from 'winston';
import { Gateway } from './gateway.js';
import { calculateClientFactory, type CalculateEndpoint } from './http-client.js';
import { listen, type RunningServer } from './http-server.js';
import { makeHttpHandler } from './http-transport.js';
import { newArithmeticService } from './service.js';
import { freePort, getJson, within } from './test-support.js';

const log = winston.createLogger({ silent: true });

/** The real client factory, counting calls per instance key. */
function counting(calls: Map<string, number>): Factory<CalculateEndpoint> {
  const real = calculateClientFactory();
  return (inst) => {
    const made = real(inst);
    return {
      endpoint: (req, signal) => {
        calls.set(inst.key, (calls.get(inst.key) ?? 0) + 1);
        return made.endpoint(req, signal);
      },
      close: made.close,
    };
  };
}

describe('gateway (in-process, fixed instances)', () => {
  let live: RunningServer;
  let liveKey: string;
  let deadKey: string;
  let instancer: FixedInstancer;
  let calls: Map<string, number>;
  let gateway: Gateway;
  let front: RunningServer;
  let base: string;

  beforeEach(async () => {
    live = await listen(makeHttpHandler(newArithmeticService(), log), { host: '127.0.0.1', port: 0 }, log);
    liveKey = `127.0.0.1:${live.port}`;
    deadKey = `127.0.0.1:${await freePort()}`; // nothing listens: connections are refused
    instancer = new FixedInstancer([instance(liveKey), instance(deadKey)].sort((a, b) => (a.key < b.key ? -1 : 1)));
    calls = new Map();
    gateway = new Gateway(instancer, counting(calls), log, { retryMax: 5, retryTimeoutMs: 10_000 });
    front = await listen(gateway.handler(), { host: '127.0.0.1', port: 0 }, log);
    base = `http://127.0.0.1:${front.port}`;
    await within(5000, () => gateway.instances().length === 2);
  });

  afterEach(async () => {
    await front?.drain();
    gateway?.close();
    instancer?.stop();
    await live?.drain();
  });

  it('answers every request although one instance refuses connections, and its breaker opens', async () => {
    for (let i = 0; i < 40; i++) {
      const { status, body } = await getJson(`${base}/calculate/mul/${i}/3`);
      expect({ status, body }).to.deep.equal({ status: 200, body: { result: i * 3 } });
    }
    expect(calls.get(liveKey)).to.equal(40);
    // Round robin sends about half the first attempts to the dead instance until its breaker
    // opens (5 calls, all failures); after that it fails fast without calling the endpoint.
    expect(calls.get(deadKey)).to.equal(5);
  });

  it('relays the service refusing a division by zero, without retrying it', async () => {
    const { status, body } = await getJson(`${base}/calculate/div/1/0`);
    expect({ status, body }).to.deep.equal({ status: 400, body: { error: 'division by zero', code: 'ARITH_ERR_DIVISION_BY_ZERO' } });
    const total = [...calls.values()].reduce((a, b) => a + b, 0);
    expect(calls.get(liveKey)).to.equal(1);
    expect(total).to.be.at.most(2); // at most one refused attempt at the dead instance before it
  });

  it('rejects a bad request itself, without calling an instance', async () => {
    expect(await getJson(`${base}/calculate/pow/1/2`)).to.deep.equal({ status: 404, body: { error: 'unknown operation "pow"; use add, sub, mul, div', code: 'ARITH_ERR_NOT_FOUND' } });
    expect(await getJson(`${base}/calculate/add/one/2`)).to.deep.equal({ status: 400, body: { error: '"one" is not a number', code: 'ARITH_ERR_INVALID_OPERAND' } });
    expect(calls.size).to.equal(0);
  });

  it('lists the instances it balances over and follows the instancer', async () => {
    expect(await getJson(`${base}/instances`)).to.deep.equal({ status: 200, body: { instances: [liveKey, deadKey].sort() } });
    instancer.set([instance(liveKey)]);
    await within(5000, async () => (await getJson<{ instances: string[] }>(`${base}/instances`)).body.instances.length === 1);
    expect((await getJson(`${base}/instances`)).body).to.deep.equal({ instances: [liveKey] });
  });

  it('answers 503 ARITH_ERR_UPSTREAM when there is no instance', async () => {
    instancer.set([]);
    await within(5000, () => gateway.instances().length === 0);
    const { status, body } = await getJson<{ code: string }>(`${base}/calculate/add/1/2`);
    expect(status).to.equal(503);
    expect(body.code).to.equal('ARITH_ERR_UPSTREAM');
  });
});
