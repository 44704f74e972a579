import { FixedEndpointer, instance, type Endpoint } from '@praetor/sdk';
import { expect } from 'chai';
import { NoEndpointsError } from './balancer.js';
import { LeastPending } from './least-pending.js';
import { scripted, seeded } from './test-support.js';

/** An endpoint whose calls stay in flight until released; it records who was called. */
function held(name: string, calls: string[]) {
  const waiting: { resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const endpoint: Endpoint<string, string> = () => {
    calls.push(name);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
  return {
    endpoint,
    release: () => waiting.shift()!.resolve(`${name} done`),
    fail: () => waiting.shift()!.reject(new Error(`${name} failed`)),
  };
}

const endpointerOf = (...endpoints: Endpoint<string, string>[]) =>
  new FixedEndpointer(endpoints.map((endpoint, i) => ({ instance: instance(`10.0.0.${i + 1}:80`), endpoint })));

describe('LeastPending', () => {
  it('prefers the endpoint with no call in flight', () => {
    const calls: string[] = [];
    const a = held('a', calls);
    const b = held('b', calls);
    // With two endpoints both are always the candidates; the draws (0, 0) put a first, and
    // with nothing in flight the first candidate wins. After that, seeded draws.
    const lb = new LeastPending(endpointerOf(a.endpoint, b.endpoint), { rng: scripted([0, 0], seeded(1)) });
    void lb.endpoint()('x');
    expect(calls).to.deep.equal(['a']);
    for (let i = 0; i < 20; i++) {
      const picked = lb.endpoint();
      expect(picked, `pick ${i}`).to.equal(lb.endpoint());
    }
    for (let i = 0; i < 5; i++) void lb.endpoint()('y');
    // b takes the next call; after that each call goes to the less loaded one, so the six
    // calls in flight end up split three and three.
    expect(calls.slice(0, 2)).to.deep.equal(['a', 'b']);
    expect([lb.pending(a.endpoint), lb.pending(b.endpoint)]).to.deep.equal([3, 3]);
  });

  it('counts a call as in flight until its promise settles, either way', async () => {
    const calls: string[] = [];
    const a = held('a', calls);
    const lb = new LeastPending(endpointerOf(a.endpoint));
    const one = lb.endpoint()('1');
    const two = lb.endpoint()('2');
    expect(lb.pending(a.endpoint)).to.equal(2);
    a.release();
    expect(await one).to.equal('a done');
    expect(lb.pending(a.endpoint)).to.equal(1);
    a.fail();
    let err: unknown;
    await two.catch((e: unknown) => (err = e));
    expect((err as Error).message).to.equal('a failed');
    expect(lb.pending(a.endpoint)).to.equal(0);
  });

  it('counts an endpoint that throws synchronously as done', async () => {
    const boom: Endpoint<string, string> = () => {
      throw new Error('boom');
    };
    const lb = new LeastPending(endpointerOf(boom));
    let err: unknown;
    await lb.endpoint()('x').catch((e: unknown) => (err = e));
    expect((err as Error).message).to.equal('boom');
    expect(lb.pending(boom)).to.equal(0);
  });

  it('compares two distinct random candidates, the first drawn winning a tie', () => {
    // Draws: i = floor(r1 * 3), then j = floor(r2 * 2), moved past i: (0, 0.99) → a then c.
    // `busy` endpoints are given one call in flight first (with draws that pick each alone).
    const pickAlone: Record<string, number[]> = { a: [0, 0.99], b: [0.5, 0], c: [0.99, 0] };
    const table: { draws: number[]; busy: string[]; want: string }[] = [
      { draws: [0, 0.99], busy: [], want: 'a' },
      { draws: [0.99, 0], busy: [], want: 'c' },
      { draws: [0.5, 0], busy: [], want: 'b' },
      { draws: [0, 0.99], busy: ['a'], want: 'c' },
      { draws: [0.99, 0], busy: ['c'], want: 'a' },
      { draws: [0.5, 0], busy: ['a'], want: 'b' },
      { draws: [0.5, 0], busy: ['b'], want: 'a' },
    ];
    for (const { draws, busy, want } of table) {
      const calls: string[] = [];
      const eps = [held('a', calls), held('b', calls), held('c', calls)];
      const lb = new LeastPending(endpointerOf(...eps.map((e) => e.endpoint)), { rng: scripted([...busy.flatMap((n) => pickAlone[n]!), ...draws]) });
      for (const _ of busy) void lb.endpoint()('setup');
      expect(calls, 'setup').to.deep.equal(busy);
      void lb.endpoint()('x');
      expect(calls.slice(busy.length), `draws ${draws} busy ${busy}`).to.deep.equal([want]);
    }
  });

  it('returns the same wrapper for the same endpoint', () => {
    const a = held('a', []);
    const lb = new LeastPending(endpointerOf(a.endpoint));
    expect(lb.endpoint()).to.equal(lb.endpoint());
  });

  it('throws NoEndpointsError when there are no endpoints', () => {
    expect(() => new LeastPending(endpointerOf()).endpoint()).to.throw(NoEndpointsError);
  });
});
