import { expect } from 'chai';
import { isLockFlags, LOCK_FLAG_VALUE } from './lock-flags.js';

describe('lock flags', () => {
  it('is the Go api LockFlagValue, which a JS number cannot hold exactly', () => {
    expect(LOCK_FLAG_VALUE.toString(16)).to.equal('2ddccbc058a50c18');
    expect(LOCK_FLAG_VALUE.toString()).to.equal('3304740253564472344');
    expect(BigInt(Number(LOCK_FLAG_VALUE))).to.not.equal(LOCK_FLAG_VALUE);
  });

  it('matches the exact value only', () => {
    const table: Array<[bigint, boolean]> = [
      [LOCK_FLAG_VALUE, true],
      [3304740253564472300n, false],
      [LOCK_FLAG_VALUE + 1n, false],
      [LOCK_FLAG_VALUE - 1n, false],
      [BigInt(Number(LOCK_FLAG_VALUE)), false],
      [0n, false],
      [42n, false],
    ];
    expect(table.map(([f]) => isLockFlags(f))).to.deep.equal(table.map(([, want]) => want));
  });
});
