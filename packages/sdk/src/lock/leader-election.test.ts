import { expect } from 'chai';
import winston from 'winston';
import { LockLostError } from '../sd/consul/errors.js';
import { LeaderElection } from './leader-election.js';
import { FixedLock } from './lock.js';

const log = winston.createLogger({ silent: true });

describe('LeaderElection over a FixedLock', () => {
  it('is elected on a later tick, and stop() ends leadership with reason released', async () => {
    const events: string[] = [];
    let held: AbortSignal | undefined;
    const e = new LeaderElection(new FixedLock('k'), log, {
      onElected: (s) => {
        held = s;
        events.push('elected');
      },
      onLost: (r) => events.push(`lost:${r.reason}`),
    });
    e.start();
    expect(events, 'never inside start()').to.deep.equal([]);
    await new Promise((r) => setImmediate(r));
    expect(events).to.deep.equal(['elected']);
    expect(e.isLeader).to.equal(true);
    expect(e.status()).to.deep.include({ state: 'leader', elections: 1 });
    await e.stop();
    expect(events).to.deep.equal(['elected', 'lost:released']);
    expect(held?.reason).to.be.instanceOf(LockLostError);
    expect(e.status().state).to.equal('stopped');
    expect(e.isLeader).to.equal(false);
    await e.stop();
    e.start();
    await new Promise((r) => setImmediate(r));
    expect(events, 'not started again after stop()').to.have.length(2);
  });

  it('a listener that throws does not stop the election', async () => {
    const e = new LeaderElection(new FixedLock(), log);
    e.on('elected', () => {
      throw new Error('boom');
    });
    e.start();
    await new Promise((r) => setImmediate(r));
    expect(e.isLeader).to.equal(true);
    await e.stop();
    expect(e.status().state).to.equal('stopped');
  });
});
