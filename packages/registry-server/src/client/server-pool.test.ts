import { expect } from 'chai';
import { ServerPool } from './server-pool.js';

describe('ServerPool (client agents)', () => {
  it('keeps the current server while listed, and moves on from one that failed', () => {
    const pool = new ServerPool();
    expect(pool.current()).to.equal(undefined);
    pool.add('10.0.0.2');
    expect(pool.current()).to.equal('http://10.0.0.2:8500');
    pool.update(['10.0.0.1:8500', '10.0.0.2:8500', '10.0.0.3:8500']);
    expect(pool.current()).to.equal('http://10.0.0.2:8500');
    const failed: string[] = [];
    pool.on('failed', (url: string) => failed.push(url));
    pool.failed('http://10.0.0.2:8500');
    expect(pool.current()).to.equal('http://10.0.0.3:8500');
    expect(failed).to.deep.equal(['http://10.0.0.2:8500']);
    expect(pool.inTurn()).to.deep.equal(['http://10.0.0.3:8500', 'http://10.0.0.1:8500', 'http://10.0.0.2:8500']);
    pool.update([]);
    expect(pool.list()).to.have.length(3);
  });

  it('spreads clients: a fresh list without the current server picks one at random', () => {
    const picks = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const pool = new ServerPool();
      pool.update(['10.0.0.1:8500', '10.0.0.2:8500', '10.0.0.3:8500']);
      picks.add(pool.current()!);
    }
    expect(picks.size).to.equal(3);
  });
});
