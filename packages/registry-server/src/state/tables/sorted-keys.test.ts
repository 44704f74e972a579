import { expect } from 'chai';
import { SortedKeys } from './sorted-keys.js';

describe('SortedKeys', () => {
  it('lists keys under a prefix in order, across inserts and deletes in any order', () => {
    const s = new SortedKeys();
    for (const k of ['b/2', 'a/1', 'b/1', 'c', 'b/10', 'a/1']) s.insert(k);
    expect([...s.withPrefix('b/')]).to.deep.equal(['b/1', 'b/10', 'b/2']);
    s.insert('b/0');
    s.delete('b/10');
    s.delete('missing');
    expect([...s.withPrefix('')]).to.deep.equal(['a/1', 'b/0', 'b/1', 'b/2', 'c']);
    expect(s.size).to.equal(5);
  });

  it('agrees with a plain sorted array on a random workload', () => {
    const s = new SortedKeys();
    const ref = new Set<string>();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const k = `k/${Math.floor(rnd() * 300)}`;
      if (rnd() < 0.3) {
        s.delete(k);
        ref.delete(k);
      } else {
        s.insert(k);
        ref.add(k);
      }
      if (i % 97 === 0) expect([...s.withPrefix('k/1')]).to.deep.equal([...ref].filter((x) => x.startsWith('k/1')).sort());
    }
    expect([...s.withPrefix('')]).to.deep.equal([...ref].sort());
  });
});
