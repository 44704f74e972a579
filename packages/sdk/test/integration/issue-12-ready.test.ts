import { expect } from 'chai';
import winston from 'winston';
import {
  AxiosClient,
  ConsulInstancer,
  DefaultEndpointer,
  freePort,
  KvWatcher,
  NotReadyError,
  startTestAgent,
  type TestAgent,
} from '../../src/index.js';

const log = winston.createLogger({ silent: true });

/** Issue 12, item 1: a first answer the caller can await. */
describe('issue 12: ready() — the first answer, awaited', function () {
  this.timeout(30000);
  let agent: TestAgent;
  let client: AxiosClient;
  before(async () => {
    agent = await startTestAgent();
    client = new AxiosClient({ addresses: [agent.url] });
    await client.register({ Name: 'billing', ID: 'billing-1', Address: '127.0.0.1', Port: 7001 });
  });
  after(() => agent?.stop());

  it('an Endpointer has its endpoints as soon as ready() resolves, right after setup', async () => {
    const instancer = new ConsulInstancer(client, log, { service: 'billing' });
    const endpointer = new DefaultEndpointer(instancer, (i) => ({ endpoint: i.key }), log);
    try {
      await endpointer.ready({ timeoutMs: 10_000 });
      expect(endpointer.endpoints()).to.deep.equal(['127.0.0.1:7001']);
      expect(instancer.status().state).to.equal('synced');
    } finally {
      endpointer.close();
      await instancer.stop();
    }
  });

  it('Instancer.ready() rejects on timeout with an error naming the service and the registry', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const instancer = new ConsulInstancer(new AxiosClient({ addresses: [dead] }), log, { service: 'billing', backoff: { initialMs: 20, maxMs: 50 } });
    try {
      const err = await instancer.ready({ timeoutMs: 300 }).then(() => null, (e: Error) => e);
      expect(err).to.be.instanceOf(NotReadyError);
      expect(err!.message).to.contain('service "billing"').and.to.contain(dead).and.to.contain('no answer within 300 ms');
      expect((err as NotReadyError).code).to.equal('PRAETOR_ERR_NOT_READY');
    } finally {
      await instancer.stop();
    }
  });

  it('ready() after stop() rejects instead of waiting for ever', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const instancer = new ConsulInstancer(new AxiosClient({ addresses: [dead] }), log, { service: 'billing' });
    const waiting = instancer.ready({ timeoutMs: 60_000 }).then(() => null, (e: Error) => e);
    await instancer.stop();
    expect((await waiting)?.message).to.match(/stopped before its first answer/);
  });

  it('KvWatcher.ready() resolves with the value in current(), a missing key as an empty snapshot', async () => {
    await fetch(`${agent.url}/v1/kv/config/ready`, { method: 'PUT', body: 'on' });
    const w = new KvWatcher(client, log, { key: 'config/ready' });
    const missing = new KvWatcher(client, log, { key: 'config/never-written' });
    try {
      await w.ready({ timeoutMs: 10_000 });
      expect(w.current()?.entries.get('config/ready')?.toString()).to.equal('on');
      await missing.ready({ timeoutMs: 10_000 });
      expect(missing.current()?.entries.size).to.equal(0);
    } finally {
      await w.stop();
      await missing.stop();
    }
  });

  it('KvWatcher.ready() rejects on timeout naming the key and the registry', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const w = new KvWatcher(new AxiosClient({ addresses: [dead] }), log, { key: 'config/x', backoff: { initialMs: 20, maxMs: 50 } });
    try {
      const err = await w.ready({ timeoutMs: 300 }).then(() => null, (e: Error) => e);
      expect(err).to.be.instanceOf(NotReadyError);
      expect(err!.message).to.contain('KV key "config/x"').and.to.contain(dead);
    } finally {
      await w.stop();
    }
  });
});
