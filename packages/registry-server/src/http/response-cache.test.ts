import { expect } from 'chai';
import { cacheKey, ResponseCache } from './response-cache.js';

describe('ResponseCache', () => {
  it('answers only for the same index', () => {
    const c = new ResponseCache();
    c.set('k', 5, 'body');
    expect(c.get('k', 5)).to.equal('body');
    expect(c.get('k', 6)).to.equal(undefined);
  });

  it('forgets every entry once the store state was swapped (its generation moved)', () => {
    let generation = 0;
    const c = new ResponseCache(10, 1000, () => generation);
    c.set('k', 5, 'old state');
    expect(c.get('k', 5)).to.equal('old state');
    generation++;
    expect(c.get('k', 5)).to.equal(undefined);
    expect(c.size.entries).to.equal(0);
  });

  it('stays within its entry and size budgets, dropping the oldest first', () => {
    const c = new ResponseCache(2, 100);
    c.set('a', 1, 'x'.repeat(10));
    c.set('b', 1, 'x'.repeat(10));
    c.set('c', 1, 'x'.repeat(10));
    expect([c.get('a', 1), c.get('b', 1) !== undefined, c.get('c', 1) !== undefined]).to.deep.equal([undefined, true, true]);
    c.set('d', 1, 'x'.repeat(20));
    c.set('e', 1, 'x'.repeat(20));
    expect(c.size.chars).to.be.at.most(100);
    c.set('huge', 1, 'x'.repeat(60));
    expect(c.get('huge', 1)).to.equal(undefined);
  });

  it('keys requests by path and the parameters that shape the answer, not index or wait', () => {
    const k = (qs: string) => cacheKey('/v1/health/service/web', new URLSearchParams(qs), false);
    expect(k('passing&index=5&wait=10s')).to.equal(k('passing'));
    expect(k('passing')).to.not.equal(k('passing&tag=v1'));
    expect(cacheKey('/x', new URLSearchParams(), true)).to.not.equal(cacheKey('/x', new URLSearchParams(), false));
    expect(k('tag=v1%00passing=')).to.not.equal(k('tag=v1&passing'));
    expect(k('tag=a%26b%3Dc')).to.not.equal(k('tag=a&b=c'));
  });
});
