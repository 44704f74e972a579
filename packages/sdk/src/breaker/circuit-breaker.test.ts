import { expect } from 'chai';
import { circuitBreaker } from './circuit-breaker.js';

describe('circuitBreaker', () => {
  it('opens after failures and fails fast without calling the endpoint; half-opens after resetTimeout', async () => {
    let calls = 0;
    let fail = true;
    const ep = circuitBreaker(async (x: number) => {
      calls++;
      if (fail) throw new Error('boom');
      return x * 2;
    }, { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeout: 100, timeout: false });
    for (let i = 0; i < 3; i++) await ep(1).catch(() => undefined);
    expect(ep.breaker.opened).to.equal(true);
    const before = calls;
    const err = (await ep(1).catch((e: Error & { code?: string }) => e)) as Error & { code?: string };
    expect(err.code).to.equal('EOPENBREAKER');
    expect(calls).to.equal(before);
    fail = false;
    for (let i = 0; i < 100 && !ep.breaker.halfOpen; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await ep(21)).to.equal(42);
    expect(ep.breaker.closed).to.equal(true);
    ep.breaker.shutdown();
  });
});
