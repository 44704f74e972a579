import { FixedEndpointer } from '@praetor/sdk';
import { expect } from 'chai';
import { NoEndpointsError } from './balancer.js';
import { RoundRobin } from './round-robin.js';
import { discovered, picks, within } from './test-support.js';

describe('RoundRobin', () => {
  // The offset is floor(rng() * 2^32) modulo the count: 2^30 ≡ 1 and 2^31 ≡ 2 (mod 3).
  const offsets: { rng: number; want: string }[] = [
    { rng: 0, want: 'a b c a b c a' },
    { rng: 0.25, want: 'b c a b c a b' },
    { rng: 0.5, want: 'c a b c a b c' },
  ];
  for (const { rng, want } of offsets) {
    it(`starts at the offset the RNG gives (rng ${rng})`, async () => {
      const d = await discovered(['a:1', 'b:1', 'c:1']);
      expect(picks(new RoundRobin(d.endpointer, { rng: () => rng }), 7)).to.equal(want);
      d.endpointer.close();
    });
  }

  it('follows the endpoint list as it grows and shrinks', async () => {
    const d = await discovered(['a:1', 'b:1', 'c:1']);
    const rr = new RoundRobin(d.endpointer, { rng: () => 0 });
    const steps: { list: string[]; n: number; want: string }[] = [
      { list: ['a:1', 'b:1', 'c:1'], n: 2, want: 'a b' },
      { list: ['a:1', 'b:1', 'c:1', 'd:1'], n: 5, want: 'c d a b c' },
      { list: ['a:1', 'b:1'], n: 3, want: 'b a b' },
      { list: ['c:1'], n: 2, want: 'c c' },
    ];
    for (const { list, n, want } of steps) {
      await d.set(...list);
      expect(picks(rr, n), list.join(',')).to.equal(want);
    }
    d.endpointer.close();
  });

  it('throws NoEndpointsError when there are no endpoints', () => {
    const rr = new RoundRobin(new FixedEndpointer<string>([]));
    expect(() => rr.endpoint()).to.throw(NoEndpointsError);
  });

  it("throws the endpointer's error when discovery was invalidated", async () => {
    const d = await discovered(['a:1'], { invalidateOnError: 0 });
    const rr = new RoundRobin(d.endpointer);
    const broken = new Error('registry unreachable');
    d.instancer.set([], broken);
    let have: unknown;
    const failed = (): boolean => {
      try {
        rr.endpoint();
        return false;
      } catch (e) {
        have = e;
        return true;
      }
    };
    await within(100, failed, 'endpoint() throws');
    expect(have).to.equal(broken);
    d.endpointer.close();
  });
});
