import { FixedEndpointer } from '@praetor/sdk';
import { expect } from 'chai';
import { NoEndpointsError } from './balancer.js';
import { Random } from './random.js';
import { discovered, picks, scripted, seeded } from './test-support.js';

describe('Random', () => {
  it('picks the endpoint the RNG points at', async () => {
    const d = await discovered(['a:1', 'b:1', 'c:1']);
    // floor(r * 3); an RNG that returns 1 is clamped to the last endpoint.
    const rng = scripted([0, 0.34, 0.67, 0.999, 1, 0.3]);
    expect(picks(new Random(d.endpointer, { rng }), 6)).to.equal('a b c c c a');
    d.endpointer.close();
  });

  it('repeats its sequence for the same seed', async () => {
    const d = await discovered(['a:1', 'b:1', 'c:1', 'd:1']);
    const one = picks(new Random(d.endpointer, { rng: seeded(7) }), 50);
    const two = picks(new Random(d.endpointer, { rng: seeded(7) }), 50);
    expect(one).to.equal(two);
    expect(one).to.not.equal(picks(new Random(d.endpointer, { rng: seeded(8) }), 50));
    d.endpointer.close();
  });

  it('spreads picks evenly (seeded, so the counts are the same each run)', async () => {
    const d = await discovered(['a:1', 'b:1', 'c:1']);
    const lb = new Random(d.endpointer, { rng: seeded(42) });
    const counts: Record<string, number> = {};
    for (const name of picks(lb, 3000).split(' ')) counts[name] = (counts[name] ?? 0) + 1;
    expect(Object.keys(counts).sort()).to.deep.equal(['a', 'b', 'c']);
    for (const n of Object.values(counts)) expect(n).to.be.within(900, 1100);
    d.endpointer.close();
  });

  it('throws NoEndpointsError when there are no endpoints', () => {
    expect(() => new Random(new FixedEndpointer<string>([])).endpoint()).to.throw(NoEndpointsError);
  });
});
