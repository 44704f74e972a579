import { expect } from 'chai';
import { LongTimer, MAX_TIMEOUT_MS } from './long-timer.js';

describe('LongTimer', () => {
  it('does not fire a delay past what setTimeout holds (a TTL of 1000h) at once', async () => {
    let fired = 0;
    const t = new LongTimer();
    t.set(() => fired++, 1000 * 3_600_000);
    expect(1000 * 3_600_000).to.be.greaterThan(MAX_TIMEOUT_MS);
    await new Promise((r) => setTimeout(r, 50));
    t.clear();
    expect(fired).to.equal(0);
  });

  it('fires a short delay once, and not after clear()', async () => {
    let fired = 0;
    const t = new LongTimer();
    t.set(() => fired++, 5);
    const cleared = new LongTimer();
    cleared.set(() => fired += 100, 5);
    cleared.clear();
    await new Promise((r) => setTimeout(r, 60));
    expect(fired).to.equal(1);
  });
});
