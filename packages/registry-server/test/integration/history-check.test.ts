import { expect } from 'chai';
import { checkRegisterHistory, type Op } from './history-check.js';

const w = (value: string, start: number, end: number, ok = true): Op => ({ key: 'k', kind: 'write', value, start, end, ok });
const r = (value: string | null, start: number, end: number): Op => ({ key: 'k', kind: 'read', value, start, end, ok: true });

describe('checkRegisterHistory (single-key linearizability)', () => {
  it('accepts reads of the latest acknowledged write and of writes still in flight', () => {
    expect(checkRegisterHistory([w('a', 0, 10), r('a', 11, 12), w('b', 13, 30), r('a', 14, 15), r('b', 16, 17), r('b', 31, 32)])).to.deep.equal([]);
  });

  it('flags a stale read: a newer write was acknowledged before the read began', () => {
    const v = checkRegisterHistory([w('a', 0, 10), w('b', 11, 20), r('a', 21, 22)]);
    expect(v).to.have.length(1);
    expect(v[0]!.why).to.match(/b was written after it/);
  });

  it('flags a read from the future, a read of nothing after an acknowledged write, and a value never written', () => {
    expect(checkRegisterHistory([r('a', 0, 1), w('a', 5, 6)])[0]!.why).to.match(/before its write began/);
    expect(checkRegisterHistory([w('a', 0, 1), r(null, 5, 6)])[0]!.why).to.match(/read nothing/);
    expect(checkRegisterHistory([r('zzz', 0, 1)])[0]!.why).to.match(/no write wrote/);
  });

  it('counts an unanswered write as possibly done: reading it is fine, it never makes a read stale', () => {
    expect(checkRegisterHistory([w('a', 0, 10), w('lost', 11, 20, false), r('a', 21, 22)])).to.deep.equal([]);
    expect(checkRegisterHistory([w('a', 0, 10), w('lost', 11, 20, false), r('lost', 21, 22)])).to.deep.equal([]);
  });
});
