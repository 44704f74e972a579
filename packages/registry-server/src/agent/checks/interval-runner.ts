import type { Logger } from 'winston';
import { formatDuration, parseDuration } from '../../internal/duration.js';
import { LongTimer } from '../../internal/long-timer.js';
import type { CheckDefinition } from '../../structs/check.js';
import type { CheckResult, CheckRunner, Report } from './check-runner.js';

/** Consul's http/tcp/grpc timeout when the definition has none (scripts use 30s, as Consul). */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Consul's DefaultBufSize: the most output a check keeps, in bytes. */
export const DEFAULT_OUTPUT_MAX_SIZE = 4096;
/** Consul's MinInterval: a shorter check Interval is raised to it (createRunner warns). */
export const MIN_INTERVAL_MS = 1000;
/** The first probe runs after a random delay below min(interval, this). */
export const MAX_FIRST_DELAY_MS = 1000;

/**
 * One probe of an interval check. It must settle soon after `signal` aborts: the runner aborts
 * it when the timeout passes (signal.reason is a DOMException named "TimeoutError", see
 * timedOut()) or when stop() is called (the result is then discarded). A rejection is reported
 * as critical with the error's message.
 */
export type Probe = (signal: AbortSignal, timeoutMs: number) => Promise<CheckResult>;

/** An interval check's timing, output limit and anti-flap thresholds, parsed once. */
export interface IntervalSettings {
  intervalMs: number;
  /** Never longer than the interval. */
  timeoutMs: number;
  outputMaxSize: number;
  successBeforePassing: number;
  failuresBeforeWarning: number;
  failuresBeforeCritical: number;
}

/** Reads the settings from a definition (an Interval below MIN_INTERVAL_MS raised to it). Throws if Interval is missing or not positive. */
export function intervalSettings(def: CheckDefinition, defaultTimeoutMs = DEFAULT_TIMEOUT_MS): IntervalSettings {
  const given = def.Interval ? parseDuration(def.Interval) : 0;
  if (!(given > 0)) throw new Error(`check Interval must be > 0, got ${JSON.stringify(def.Interval)}`);
  const intervalMs = Math.max(given, MIN_INTERVAL_MS);
  const timeout = def.Timeout ? parseDuration(def.Timeout) : 0;
  const failuresBeforeCritical = def.FailuresBeforeCritical ?? 0;
  return {
    intervalMs,
    timeoutMs: Math.min(timeout > 0 ? timeout : defaultTimeoutMs, intervalMs),
    outputMaxSize: outputMaxSize(def),
    successBeforePassing: def.SuccessBeforePassing ?? 0,
    // Consul: "FailuresBeforeWarning has to default to same value as FailuresBeforeCritical".
    failuresBeforeWarning: def.FailuresBeforeWarning || failuresBeforeCritical,
    failuresBeforeCritical,
  };
}

/** The definition's OutputMaxSize, or 4096 bytes when unset or 0. */
export function outputMaxSize(def: CheckDefinition): number {
  return def.OutputMaxSize && def.OutputMaxSize > 0 ? def.OutputMaxSize : DEFAULT_OUTPUT_MAX_SIZE;
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function truncateOutput(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= maxBytes ? text : utf8Prefix(bytes, maxBytes);
}

/** The first `maxBytes` of UTF-8 `bytes` as a string, cut back to a character boundary. */
export function utf8Prefix(bytes: Buffer, maxBytes: number): string {
  let end = Math.min(maxBytes, bytes.length);
  if (end < bytes.length) while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/** True when the runner aborted this probe because its timeout passed (not because of stop()). */
export function timedOut(signal: AbortSignal): boolean {
  return signal.aborted && (signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError';
}

/**
 * Consul's anti-flap filter (agent/checks/check.go StatusHandler). Passing and warning count as
 * successes, critical as a failure; each resets the other counter. A success is passed on once
 * `successBeforePassing` successes came in a row; a failure is passed on as critical once
 * `failuresBeforeCritical` failures came in a row, else as warning once `failuresBeforeWarning`
 * did, else dropped (the check keeps its previous status and output). Both counters start at
 * their thresholds, so the first result after start is always passed on.
 */
export class StatusThresholds {
  private successes: number;
  private failures: number;

  constructor(private readonly settings: Pick<IntervalSettings, 'successBeforePassing' | 'failuresBeforeWarning' | 'failuresBeforeCritical'>) {
    this.successes = settings.successBeforePassing;
    this.failures = settings.failuresBeforeCritical;
  }

  /** The result to report, or undefined to keep the previous one. */
  apply(result: CheckResult): CheckResult | undefined {
    const s = this.settings;
    if (result.status !== 'critical') {
      this.successes++;
      this.failures = 0;
      return this.successes >= s.successBeforePassing ? result : undefined;
    }
    this.failures++;
    this.successes = 0;
    if (this.failures >= s.failuresBeforeCritical) return result;
    if (this.failures >= s.failuresBeforeWarning) return { status: 'warning', output: result.output };
    return undefined;
  }
}

/**
 * Runs a probe every interval, one at a time: the first after a random delay below
 * min(interval, 1s), each next one an interval after the previous one settled (as Consul). A
 * probe is aborted after the timeout. Results are truncated to OutputMaxSize bytes, filtered
 * through StatusThresholds and passed to `report`, never synchronously from start(); nothing
 * is reported after stop(). stop() clears the timer, aborts a probe in flight, resets the
 * thresholds and is safe to call twice; start() after stop() starts over.
 */
export class IntervalRunner implements CheckRunner {
  private readonly timer = new LongTimer();
  private inFlight: AbortController | undefined;
  private thresholds: StatusThresholds;
  private generation = 0;
  private running = false;
  private lastReported: string | undefined;

  constructor(
    private readonly probe: Probe,
    private readonly settings: IntervalSettings,
    private readonly report: Report,
    private readonly logger: Logger,
    private readonly random: () => number = Math.random,
  ) {
    this.thresholds = new StatusThresholds(settings);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const first = Math.floor(this.random() * Math.min(this.settings.intervalMs, MAX_FIRST_DELAY_MS));
    this.schedule(first, this.generation);
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    this.timer.clear();
    const probe = this.inFlight;
    this.inFlight = undefined;
    probe?.abort(new DOMException('check stopped', 'AbortError'));
    this.thresholds = new StatusThresholds(this.settings);
    this.lastReported = undefined;
  }

  private schedule(delayMs: number, generation: number): void {
    this.timer.set(() => void this.runOnce(generation), delayMs);
  }

  private async runOnce(generation: number): Promise<void> {
    const { timeoutMs } = this.settings;
    const controller = new AbortController();
    this.inFlight = controller;
    const deadline = setTimeout(() => controller.abort(new DOMException('check timed out', 'TimeoutError')), timeoutMs);
    deadline.unref();
    let result: CheckResult;
    try {
      result = await Promise.resolve().then(() => this.probe(controller.signal, timeoutMs));
    } catch (err) {
      const output = timedOut(controller.signal)
        ? `Timed out (${formatDuration(timeoutMs)}) running check`
        : err instanceof Error ? err.message : String(err);
      result = { status: 'critical', output };
    } finally {
      clearTimeout(deadline);
    }
    if (generation !== this.generation) return; // stopped while the probe ran
    this.inFlight = undefined;
    this.deliver({ status: result.status, output: truncateOutput(result.output, this.settings.outputMaxSize) });
    this.schedule(this.settings.intervalMs, generation);
  }

  private deliver(result: CheckResult): void {
    const verdict = this.thresholds.apply(result);
    if (!verdict) {
      this.logger.debug('check result held back by threshold', { status: result.status });
      return;
    }
    if (verdict.status !== 'passing' && verdict.status !== this.lastReported) {
      this.logger.warn(`check is now ${verdict.status}`, { output: verdict.output });
    } else {
      this.logger.debug('check result', { status: verdict.status });
    }
    this.lastReported = verdict.status;
    try {
      this.report(verdict);
    } catch (err) {
      this.logger.error('check report failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
