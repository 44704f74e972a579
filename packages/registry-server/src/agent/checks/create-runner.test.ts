import { expect } from 'chai';
import * as net from 'node:net';
import { TtlRunner } from './check-ttl.js';
import { createRunner } from './create-runner.js';
import { IntervalRunner } from './interval-runner.js';
import { Runners, recorder, silentLogger, within } from './test-support.js';

describe('create-runner', () => {
  const runners = new Runners();
  afterEach(() => runners.stopAll());

  it('chooses the runner by check type', () => {
    const log = silentLogger();
    const report = () => undefined;
    expect(createRunner('ttl', { TTL: '10s' }, report, log)).to.be.instanceOf(TtlRunner);
    expect(createRunner('http', { HTTP: 'http://127.0.0.1:1/', Interval: '10s' }, report, log)).to.be.instanceOf(IntervalRunner);
    expect(createRunner('tcp', { TCP: '127.0.0.1:1', Interval: '10s' }, report, log)).to.be.instanceOf(IntervalRunner);
    expect(createRunner('grpc', { GRPC: '127.0.0.1:1', Interval: '10s' }, report, log)).to.be.instanceOf(IntervalRunner);
    expect(createRunner('script', { ScriptArgs: ['/bin/true'], Interval: '10s' }, report, log)).to.be.instanceOf(IntervalRunner);
  });

  it('refuses a type with no runner and an interval check with no Interval', () => {
    expect(() => createRunner('', {}, () => undefined, silentLogger())).to.throw(/no runner/);
    expect(() => createRunner('tcp', { TCP: '127.0.0.1:1' }, () => undefined, silentLogger())).to.throw(/Interval/);
  });

  it('the runner it builds runs the check', async () => {
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const target = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
      const rec = recorder();
      runners.add(createRunner('tcp', { TCP: target, Interval: '500ms' }, rec.report, silentLogger())).start();
      await within(10_000, () => rec.results.length > 0, 'a report');
      expect(rec.results[0]).to.include({ status: 'passing', output: `TCP connect ${target}: Success` });
    } finally {
      runners.stopAll();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
