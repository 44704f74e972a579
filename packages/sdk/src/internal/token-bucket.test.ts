import { expect } from 'chai';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('lets a burst through at once, then paces to the rate', async () => {
    let now = 0;
    const b = new TokenBucket(10, 2, () => now);
    const t0 = Date.now();
    await b.take();
    await b.take();
    // The third take must wait for a refill: about 100 ms of real time (the clock here is frozen,
    // so the bucket sleeps the whole refill time).
    await b.take();
    expect(Date.now() - t0).to.be.at.least(90);
  });

  it('holds no more than the burst, however long it was idle', async () => {
    let now = 0;
    let slept = 0;
    const b = new TokenBucket(10, 2, () => now);
    now += 60_000;
    await b.take();
    await b.take();
    const t = Date.now();
    await b.take(); // the third must wait for a refill, idle minute or not
    slept = Date.now() - t;
    expect(slept).to.be.at.least(90);
  });
});
