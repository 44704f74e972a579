import { expect } from 'chai';
import type { CheckStatus } from '../../structs/check.js';
import type { CheckResult } from './check-runner.js';
import {
  DEFAULT_OUTPUT_MAX_SIZE,
  IntervalRunner,
  StatusThresholds,
  intervalSettings,
  truncateOutput,
  type IntervalSettings,
  type Probe,
} from './interval-runner.js';
import { Runners, quiet, recorder, silentLogger, within } from './test-support.js';

const P: CheckStatus = 'passing';
const W: CheckStatus = 'warning';
const C: CheckStatus = 'critical';

describe('interval-runner', () => {
  describe('StatusThresholds (Consul StatusHandler)', () => {
    const cases: { name: string; thresholds: [number, number, number]; probes: CheckStatus[]; reported: (CheckStatus | '-')[] }[] = [
      { name: 'no thresholds: every result', thresholds: [0, 0, 0], probes: [P, C, W, P], reported: [P, C, W, P] },
      { name: 'success before passing 2', thresholds: [2, 0, 0], probes: [P, C, P, P, P], reported: [P, C, '-', P, P] },
      { name: 'first result always passes through', thresholds: [3, 0, 3], probes: [C, P, P, P], reported: [C, '-', '-', P] },
      { name: 'failures before critical 2, warning defaulting to it', thresholds: [0, 2, 2], probes: [P, C, C, C], reported: [P, '-', C, C] },
      { name: 'warning after 1, critical after 3', thresholds: [0, 1, 3], probes: [P, C, C, C, P, C], reported: [P, W, W, C, P, W] },
      { name: 'warning counts as a success', thresholds: [2, 0, 0], probes: [C, W, W], reported: [C, '-', W] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const [successBeforePassing, failuresBeforeWarning, failuresBeforeCritical] = c.thresholds;
        const t = new StatusThresholds({ successBeforePassing, failuresBeforeWarning, failuresBeforeCritical });
        const have = c.probes.map((status) => t.apply({ status, output: status })?.status ?? '-');
        expect(have).to.deep.equal(c.reported);
      });
    }

    it('a failure reported as warning keeps the probe output', () => {
      const t = new StatusThresholds({ successBeforePassing: 0, failuresBeforeWarning: 1, failuresBeforeCritical: 2 });
      t.apply({ status: P, output: 'ok' });
      expect(t.apply({ status: C, output: 'boom' })).to.deep.equal({ status: W, output: 'boom' });
    });
  });

  describe('intervalSettings', () => {
    it('defaults timeout to 10s capped by the interval, output to 4096 bytes, warning to critical', () => {
      expect(intervalSettings({ Interval: '30s', FailuresBeforeCritical: 3 })).to.deep.equal({
        intervalMs: 30_000,
        timeoutMs: 10_000,
        outputMaxSize: DEFAULT_OUTPUT_MAX_SIZE,
        successBeforePassing: 0,
        failuresBeforeWarning: 3,
        failuresBeforeCritical: 3,
      });
      expect(intervalSettings({ Interval: '2s' }).timeoutMs).to.equal(2000);
      expect(intervalSettings({ Interval: '2s', Timeout: '500ms' }).timeoutMs).to.equal(500);
      expect(intervalSettings({ Interval: '1m' }, 30_000).timeoutMs).to.equal(30_000);
      expect(intervalSettings({ Interval: '1s', OutputMaxSize: 10, FailuresBeforeWarning: 1 })).to.include({
        outputMaxSize: 10,
        failuresBeforeWarning: 1,
      });
    });

    it('refuses a missing or zero interval', () => {
      expect(() => intervalSettings({})).to.throw(/Interval/);
      expect(() => intervalSettings({ Interval: '0s' })).to.throw(/Interval/);
    });
  });

  it('truncateOutput cuts on a UTF-8 character boundary', () => {
    expect(truncateOutput('abc', 3)).to.equal('abc');
    expect(truncateOutput('abcdef', 4)).to.equal('abcd');
    expect(truncateOutput('aé', 2)).to.equal('a'); // é is 2 bytes
    expect(truncateOutput('a€b', 3)).to.equal('a');
  });

  describe('IntervalRunner', () => {
    const runners = new Runners();
    afterEach(() => runners.stopAll());

    const settings = (over: Partial<IntervalSettings> = {}): IntervalSettings => ({
      intervalMs: 50,
      timeoutMs: 50,
      outputMaxSize: 4096,
      successBeforePassing: 0,
      failuresBeforeWarning: 0,
      failuresBeforeCritical: 0,
      ...over,
    });

    it('probes repeatedly, never synchronously from start()', async () => {
      let probes = 0;
      const probe: Probe = async () => ({ status: P, output: `probe ${++probes}` });
      const rec = recorder();
      runners.add(new IntervalRunner(probe, settings(), rec.report, silentLogger())).start();
      expect(probes).to.equal(0);
      await within(5000, () => rec.results.length >= 3, 'three reports');
      expect(rec.results.slice(0, 3).map((r) => r.output)).to.deep.equal(['probe 1', 'probe 2', 'probe 3']);
    });

    it('never overlaps probes', async () => {
      let running = 0;
      let maxRunning = 0;
      const probe: Probe = async () => {
        maxRunning = Math.max(maxRunning, ++running);
        await quiet(30);
        running--;
        return { status: P, output: '' };
      };
      const rec = recorder();
      runners.add(new IntervalRunner(probe, settings({ intervalMs: 10, timeoutMs: 10 }), rec.report, silentLogger())).start();
      await within(5000, () => rec.results.length >= 3, 'three reports');
      expect(maxRunning).to.equal(1);
    });

    it('aborts a probe after the timeout and reports it critical', async () => {
      const probe: Probe = (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      const rec = recorder();
      runners.add(new IntervalRunner(probe, settings({ intervalMs: 200, timeoutMs: 40 }), rec.report, silentLogger())).start();
      await within(5000, () => rec.results.length >= 1, 'a report');
      expect(rec.results[0]).to.include({ status: C, output: 'Timed out (40ms) running check' });
    });

    it('reports a thrown error as critical with its message', async () => {
      const probe: Probe = () => {
        throw new Error('no route');
      };
      const rec = recorder();
      runners.add(new IntervalRunner(probe, settings(), rec.report, silentLogger())).start();
      await within(5000, () => rec.results.length >= 1, 'a report');
      expect(rec.results[0]).to.include({ status: C, output: 'no route' });
    });

    it('truncates output to OutputMaxSize', async () => {
      const probe: Probe = async () => ({ status: P, output: 'x'.repeat(100) });
      const rec = recorder();
      runners.add(new IntervalRunner(probe, settings({ outputMaxSize: 10 }), rec.report, silentLogger())).start();
      await within(5000, () => rec.results.length >= 1, 'a report');
      expect(rec.results[0].output).to.equal('x'.repeat(10));
    });

    it('stop() aborts the probe in flight, reports nothing more, and is safe twice', async () => {
      let aborted: unknown;
      let started = 0;
      const probe: Probe = (signal) =>
        new Promise<CheckResult>((resolve) => {
          started++;
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
            resolve({ status: P, output: 'late' });
          });
        });
      const rec = recorder();
      const runner = runners.add(new IntervalRunner(probe, settings({ intervalMs: 5000, timeoutMs: 5000 }), rec.report, silentLogger()));
      runner.start();
      await within(5000, () => started === 1, 'the probe to start');
      runner.stop();
      runner.stop();
      expect((aborted as Error).name).to.equal('AbortError');
      await quiet(50);
      expect(rec.results).to.deep.equal([]);
    });

    it('starts over after stop()', async () => {
      const statuses: CheckStatus[] = [P, C, P];
      let i = 0;
      const probe: Probe = async () => ({ status: statuses[i++ % statuses.length], output: '' });
      const rec = recorder();
      const runner = runners.add(new IntervalRunner(probe, settings({ successBeforePassing: 2 }), rec.report, silentLogger()));
      runner.start();
      await within(5000, () => rec.results.length >= 1, 'a report');
      runner.stop();
      const seen = rec.results.length;
      runner.start();
      await within(5000, () => rec.results.length > seen, 'a report after restart');
    });
  });
});
