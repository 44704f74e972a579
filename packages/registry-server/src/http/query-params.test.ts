import { expect } from 'chai';
import { ApiRequest } from './api-request.js';
import { flag, queryOptions } from './query-params.js';

function req(qs: string): ApiRequest {
  return new ApiRequest('GET', '/v1/x', new URLSearchParams(qs), {} as never, {} as never);
}

describe('query parameters', () => {
  const limits = { defaultQueryTime: 300_000, maxQueryTime: 600_000 };

  it('waits 5 minutes by default, caps at the max, and adds at most wait/16 of jitter', () => {
    for (let i = 0; i < 50; i++) {
      const d = queryOptions(req('index=5'), limits).waitMs;
      expect(d).to.be.within(300_000, 300_000 * (1 + 1 / 16));
      const capped = queryOptions(req('index=5&wait=1h'), limits).waitMs;
      expect(capped).to.be.within(600_000, 600_000 * (1 + 1 / 16));
      const ms = queryOptions(req('index=5&wait=30000ms'), limits).waitMs;
      expect(ms).to.be.within(30_000, 30_000 * (1 + 1 / 16));
    }
  });

  it('reads boolean flags in every form clients send', () => {
    const table: Array<[string, boolean]> = [['stale', true], ['stale=', true], ['stale=1', true], ['stale=true', true], ['stale=false', false], ['stale=0', false], ['', false]];
    for (const [qs, want] of table) expect(flag(req(qs), 'stale'), qs).to.equal(want);
    expect(() => flag(req('stale=maybe'), 'stale')).to.throw(/Invalid value for \?stale/);
  });

  it('reports the consistency mode', () => {
    expect(queryOptions(req(''), limits).consistency).to.equal('leader');
    expect(queryOptions(req('stale'), limits).consistency).to.equal('stale');
    expect(queryOptions(req('consistent'), limits).consistency).to.equal('consistent');
  });
});
