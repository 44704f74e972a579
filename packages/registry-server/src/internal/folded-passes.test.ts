import { expect } from 'chai';
import { foldedPasses } from './folded-passes.js';

describe('foldedPasses', () => {
  it('runs one pass at a time; calls during a pass fold into exactly one more', async () => {
    let running = 0;
    let most = 0;
    let passes = 0;
    let release: () => void = () => undefined;
    const run = foldedPasses(async () => {
      passes++;
      most = Math.max(most, ++running);
      await new Promise<void>((r) => (release = r));
      running--;
    });
    const first = run();
    await Promise.all([run(), run(), run()]);
    expect(passes).to.equal(1);
    release();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(passes).to.equal(2);
    release();
    await new Promise((r) => setImmediate(r));
    expect([passes, most]).to.deep.equal([2, 1]);
  });
});
