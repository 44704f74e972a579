import { expect } from 'chai';
import { TTL_EXPIRED, TtlRunner } from './check-ttl.js';
import { Runners, quiet, recorder, silentLogger, within } from './test-support.js';

describe('check-ttl', () => {
  const runners = new Runners();
  afterEach(() => runners.stopAll());

  it('reports critical "TTL expired" when no update comes in time', async () => {
    const rec = recorder();
    runners.add(new TtlRunner({ TTL: '100ms' }, rec.report, silentLogger())).start();
    expect(rec.results).to.deep.equal([]);
    await within(5000, () => rec.results.length > 0, 'the TTL to expire');
    expect(rec.results[0]).to.include({ status: 'critical', output: TTL_EXPIRED });
  });

  it('update() reports at once and the expiry carries the last output', async () => {
    const rec = recorder();
    const ttl = runners.add(new TtlRunner({ TTL: '100ms' }, rec.report, silentLogger()));
    ttl.start();
    expect(ttl.update('passing', 'all good')).to.equal('all good');
    expect(rec.results.map((r) => [r.status, r.output])).to.deep.equal([['passing', 'all good']]);
    await within(5000, () => rec.results.length > 1, 'the TTL to expire');
    expect(rec.results[1]).to.include({ status: 'critical', output: 'TTL expired (last output before timeout follows): all good' });
  });

  it('each update resets the TTL', async () => {
    const ttlMs = 300;
    const rec = recorder();
    const ttl = runners.add(new TtlRunner({ TTL: `${ttlMs}ms` }, rec.report, silentLogger()));
    ttl.start();
    await quiet(150);
    ttl.update('warning', 'first');
    await quiet(150);
    ttl.update('passing', 'second');
    const updatedAt = Date.now();
    await within(5000, () => rec.results.some((r) => r.status === 'critical' && r.at >= updatedAt), 'the TTL to expire');
    const expiry = rec.results.find((r) => r.status === 'critical' && r.at >= updatedAt)!;
    expect(expiry.output).to.equal('TTL expired (last output before timeout follows): second');
    // Counted from the last update, not from start() or the first update (timers may fire ~1ms early).
    expect(expiry.at - updatedAt).to.be.at.least(ttlMs - 5);
  });

  it('expires once, until the next update', async () => {
    const rec = recorder();
    runners.add(new TtlRunner({ TTL: '50ms' }, rec.report, silentLogger())).start();
    await within(5000, () => rec.results.length > 0, 'the TTL to expire');
    await quiet(200);
    expect(rec.results.length).to.equal(1);
  });

  it('truncates long output as Consul does', () => {
    const rec = recorder();
    const ttl = runners.add(new TtlRunner({ TTL: '10s', OutputMaxSize: 5 }, rec.report, silentLogger()));
    ttl.start();
    expect(ttl.update('passing', 'abcdefgh')).to.equal('abcde ... (captured 5 of 8 bytes)');
    expect(rec.last()).to.deep.equal({ status: 'passing', output: 'abcde ... (captured 5 of 8 bytes)', at: rec.results[0].at });
  });

  it('stop() cancels the expiry and is safe twice', async () => {
    const rec = recorder();
    const ttl = new TtlRunner({ TTL: '50ms' }, rec.report, silentLogger());
    ttl.start();
    ttl.stop();
    ttl.stop();
    await quiet(200);
    expect(rec.results).to.deep.equal([]);
  });

  it('refuses a missing TTL', () => {
    expect(() => new TtlRunner({}, () => undefined, silentLogger())).to.throw(/TTL/);
  });
});
