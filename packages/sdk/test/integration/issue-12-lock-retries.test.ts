import { expect } from 'chai';
import winston from 'winston';
import { AxiosClient, ConsulLock, freePort, LockAbortedError, LockLostError, startTestAgent, UnreachableError, within } from '../../src/index.js';

const log = winston.createLogger({ silent: true });

/** Issue 12, "Also": the options `praetor lock` needs from the one lock (Consul's MonitorRetries, fail fast). */
describe('issue 12: ConsulLock acquireRetries and monitorRetries', function () {
  this.timeout(30000);

  it('acquireRetries: 0 rejects with the first failure instead of retrying until the timeout', async () => {
    const dead = new AxiosClient({ addresses: [`127.0.0.1:${await freePort()}`] });
    const failFast = new ConsulLock(dead, log, { key: 'k', acquireRetries: 0 });
    const err = await failFast.acquire({ timeoutMs: 20_000 }).then(() => null, (e: Error) => e);
    expect(err).to.be.instanceOf(UnreachableError);
    const patient = new ConsulLock(dead, log, { key: 'k', backoff: { initialMs: 20, maxMs: 50 } });
    expect(await patient.acquire({ timeoutMs: 300 }).then(() => null, (e: Error) => e)).to.be.instanceOf(LockAbortedError);
  });

  it('monitorRetries: a held lock is lost after that many failed reads in a row, long before its TTL', async () => {
    const agent = await startTestAgent();
    const lock = new ConsulLock(new AxiosClient({ addresses: [agent.url] }), log, { key: 'held', sessionTtl: '60s', monitorRetries: 2, backoff: { initialMs: 20, maxMs: 50 } });
    try {
      const held = await lock.acquire({ timeoutMs: 10_000 });
      await agent.stop();
      await within(10_000, () => held.aborted, 'the hold lost');
      expect((held.reason as LockLostError).reason).to.equal('unconfirmed');
      expect((held.reason as Error).message).to.match(/3 reads of the key failed in a row/);
    } finally {
      await lock.release().catch(() => undefined);
      await agent.stop();
    }
  });
});
