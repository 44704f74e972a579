import { expect } from 'chai';
import type { CheckResult } from './check-runner.js';
import { HeldOutputs } from './held-outputs.js';
import { within } from './test-support.js';

describe('held-outputs (check_update_interval)', () => {
  let held: HeldOutputs | undefined;
  afterEach(() => held?.clear());

  const make = (intervalMs: number, random = () => 0) => {
    const flushed: Array<[string, CheckResult]> = [];
    held = new HeldOutputs(() => intervalMs, (id, r) => flushed.push([id, r]), random);
    return { held, flushed };
  };

  it('holds an output-only change and writes the latest output once, between half and one and a half intervals later', async () => {
    const { held, flushed } = make(200);
    expect(held.hold('c', { Status: 'passing' }, { status: 'passing', output: 'one' })).to.equal(true);
    expect(held.hold('c', { Status: 'passing' }, { status: 'passing', output: 'two' })).to.equal(true);
    expect(held.output('c')).to.equal('two');
    expect(flushed).to.deep.equal([]);
    await within(5000, () => flushed.length > 0, 'the held output to be written');
    expect(flushed).to.deep.equal([['c', { status: 'passing', output: 'two' }]]);
    expect(held.output('c')).to.equal(undefined);
  });

  it('picks the time at random in [interval/2, 3*interval/2)', async () => {
    const { held, flushed } = make(100, () => 0.999);
    const start = Date.now();
    held.hold('c', { Status: 'warning' }, { status: 'warning', output: 'x' });
    await within(5000, () => flushed.length > 0, 'the held output to be written');
    expect(Date.now() - start).to.be.at.least(145);
  });

  it('does not hold a status change, and drops what was held for that check', () => {
    const { held, flushed } = make(60_000);
    held.hold('c', { Status: 'passing' }, { status: 'passing', output: 'steady' });
    expect(held.hold('c', { Status: 'passing' }, { status: 'critical', output: 'down' })).to.equal(false);
    expect(held.output('c')).to.equal(undefined);
    expect(flushed).to.deep.equal([]);
  });

  it('holds nothing when the interval is 0', () => {
    const { held } = make(0);
    expect(held.hold('c', { Status: 'passing' }, { status: 'passing', output: 'new' })).to.equal(false);
    expect(held.output('c')).to.equal(undefined);
  });

  it('keeps checks apart, and drop() and clear() cancel the writes', async () => {
    const { held, flushed } = make(40);
    held.hold('a', { Status: 'passing' }, { status: 'passing', output: 'a1' });
    held.hold('b', { Status: 'passing' }, { status: 'passing', output: 'b1' });
    held.hold('c', { Status: 'passing' }, { status: 'passing', output: 'c1' });
    held.drop('a');
    expect(held.output('b')).to.equal('b1');
    await within(5000, () => flushed.length >= 2, 'b and c written');
    expect(flushed.map(([id]) => id).sort()).to.deep.equal(['b', 'c']);
    held.hold('d', { Status: 'passing' }, { status: 'passing', output: 'd1' });
    held.clear();
    await new Promise((r) => setTimeout(r, 150));
    expect(flushed.map(([id]) => id).sort()).to.deep.equal(['b', 'c']);
  });
});
