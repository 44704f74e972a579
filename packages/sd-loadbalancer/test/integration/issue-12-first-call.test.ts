import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import winston from 'winston';
import { AxiosClient, ConsulInstancer, DefaultEndpointer, startTestAgent, type Endpoint, type TestAgent } from '@praetor/sdk';
import { retry, RetryError, RoundRobin } from '../../src/index.js';

const log = winston.createLogger({ silent: true });

/** Issue 12, item 1: the README's first call, made right after setup, succeeds. */
describe('issue 12: the first call right after setup', function () {
  this.timeout(30000);
  let agent: TestAgent;
  let server: http.Server;
  let client: AxiosClient;
  before(async () => {
    agent = await startTestAgent();
    client = new AxiosClient({ addresses: [agent.url] });
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => res.end(JSON.stringify({ charged: JSON.parse(body).amount })));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await client.register({ Name: 'billing', ID: 'billing-1', Address: '127.0.0.1', Port: (server.address() as AddressInfo).port });
  });
  after(async () => {
    server?.close();
    await agent?.stop();
  });

  it('retry() waits for discovery before its first attempt instead of failing with no endpoints', async () => {
    const instancer = new ConsulInstancer(client, log, { service: 'billing' });
    const endpointer = new DefaultEndpointer<Endpoint<{ amount: number }, { charged: number }>>(
      instancer,
      (i) => ({ endpoint: async (req) => (await fetch(`http://${i.key}/charge`, { method: 'POST', body: JSON.stringify(req) })).json() }),
      log,
    );
    try {
      const charge = retry(new RoundRobin(endpointer), { max: 3, timeoutMs: 5000 });
      expect(await charge({ amount: 42 })).to.deep.equal({ charged: 42 });
    } finally {
      endpointer.close();
      await instancer.stop();
    }
  });

  it('waitForDiscovery: false keeps the old behaviour (fails at once with no endpoints)', async () => {
    const instancer = new ConsulInstancer(client, log, { service: 'billing' });
    const endpointer = new DefaultEndpointer<Endpoint<unknown, unknown>>(instancer, (i) => ({ endpoint: async () => i.key }), log);
    try {
      const call = retry(new RoundRobin(endpointer), { max: 1, timeoutMs: 5000, waitForDiscovery: false });
      const err = await call({}).then(() => null, (e: Error) => e);
      expect(err).to.be.instanceOf(RetryError);
      expect((err as RetryError).final.message).to.equal('no endpoints available');
    } finally {
      endpointer.close();
      await instancer.stop();
    }
  });

  it('when discovery never answers, the call fails within its deadline naming the service and the registry', async () => {
    const dead = new AxiosClient({ addresses: ['127.0.0.1:1'] });
    const instancer = new ConsulInstancer(dead, log, { service: 'billing', backoff: { initialMs: 20, maxMs: 50 } });
    const endpointer = new DefaultEndpointer<Endpoint<unknown, unknown>>(instancer, (i) => ({ endpoint: async () => i.key }), log);
    try {
      const call = retry(new RoundRobin(endpointer), { max: 3, timeoutMs: 300 });
      const err = await call({}).then(() => null, (e: Error) => e);
      expect(err).to.be.instanceOf(RetryError);
      expect((err as RetryError).final.message).to.contain('service "billing"').and.to.contain('http://127.0.0.1:1');
    } finally {
      endpointer.close();
      await instancer.stop();
    }
  });
});
