import { FixedEndpointer, instance } from '@praetor/sdk';
import { expect } from 'chai';
import { NoEndpointsError } from './balancer.js';
import { discovered, picks } from './test-support.js';
import { instanceWeight, WeightedRoundRobin } from './weighted-round-robin.js';

const weighted = (key: string, passing: number, warning = 1, status: 'passing' | 'warning' | 'critical' = 'passing') =>
  instance(key, { weights: { passing, warning }, status });

function counts(sequence: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of sequence.split(' ')) out[name] = (out[name] ?? 0) + 1;
  return out;
}

describe('WeightedRoundRobin', () => {
  const sequences: { weights: number[]; want: string }[] = [
    { weights: [1, 1, 1], want: 'a b c a b c' },
    { weights: [5, 1, 1], want: 'a a b a c a a' },
    { weights: [2, 1], want: 'a b a a b a' },
    { weights: [3, 2], want: 'a b a b a' },
    { weights: [1, 0, 2], want: 'c a c c a c' },
  ];
  for (const { weights, want } of sequences) {
    it(`interleaves picks for weights ${weights.join(',')}`, async () => {
      const d = await discovered(weights.map((w, i) => weighted(`${'abc'[i]}:1`, w)));
      expect(picks(new WeightedRoundRobin(d.endpointer), want.split(' ').length)).to.equal(want);
      d.endpointer.close();
    });
  }

  it('picks each endpoint exactly in proportion to its weight', async () => {
    const d = await discovered([weighted('a:1', 5), weighted('b:1', 3), weighted('c:1', 2)]);
    expect(counts(picks(new WeightedRoundRobin(d.endpointer), 1000))).to.deep.equal({ a: 500, b: 300, c: 200 });
    d.endpointer.close();
  });

  it('uses the warning weight for warning instances and never picks critical ones', async () => {
    const d = await discovered([weighted('a:1', 3, 1), weighted('b:1', 3, 1, 'warning'), weighted('c:1', 3, 3, 'critical')]);
    expect(counts(picks(new WeightedRoundRobin(d.endpointer), 400))).to.deep.equal({ a: 300, b: 100 });
    d.endpointer.close();
  });

  it('keeps per-instance state when the list changes', async () => {
    // a:2 b:1 runs a b a; after one pick (a), b is due next. A list change that keeps a and b
    // (here: c joins with weight 0) must not reset them, or a would be picked again.
    const d = await discovered([weighted('a:1', 2), weighted('b:1', 1)]);
    const wrr = new WeightedRoundRobin(d.endpointer);
    expect(picks(wrr, 1)).to.equal('a');
    await d.set(weighted('a:1', 2), weighted('b:1', 1), weighted('c:1', 0));
    expect(picks(wrr, 5)).to.equal('b a a b a');
    d.endpointer.close();
  });

  it('throws NoEndpointsError when every weight is 0, or there are no endpoints', () => {
    const zero = new FixedEndpointer([{ instance: weighted('a:1', 0), endpoint: 'a' }, { instance: weighted('b:1', 0), endpoint: 'b' }]);
    expect(() => new WeightedRoundRobin(zero).endpoint()).to.throw(NoEndpointsError, 'all 2 have weight 0');
    expect(() => new WeightedRoundRobin(new FixedEndpointer<string>([])).endpoint()).to.throw(NoEndpointsError);
  });

  it('counts negative and non-finite weights as 0', () => {
    const table: { passing: number; want: number }[] = [
      { passing: -1, want: 0 },
      { passing: Number.NaN, want: 0 },
      { passing: Number.POSITIVE_INFINITY, want: 0 },
      { passing: 0.5, want: 0.5 },
    ];
    for (const { passing, want } of table) expect(instanceWeight(weighted('a:1', passing)), String(passing)).to.equal(want);
  });
});
