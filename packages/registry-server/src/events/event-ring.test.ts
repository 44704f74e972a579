import { expect } from 'chai';
import { EventRing } from './event-ring.js';

describe('EventRing', () => {
  it('keeps the newest items up to its capacity, oldest first', () => {
    const ring = new EventRing<number>(3);
    const seen: number[][] = [];
    for (let i = 1; i <= 7; i++) {
      ring.add(i);
      seen.push(ring.toArray());
    }
    expect(seen).to.deep.equal([[1], [1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 7]]);
    expect(ring.size).to.equal(3);
  });

  it('holds 256 by default, as Consul', () => {
    const ring = new EventRing<number>();
    for (let i = 0; i < 300; i++) ring.add(i);
    const all = ring.toArray();
    expect([all.length, all[0], all[255]]).to.deep.equal([256, 44, 299]);
  });
});
