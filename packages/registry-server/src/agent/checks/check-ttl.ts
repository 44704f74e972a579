import type { Logger } from 'winston';
import { parseDuration } from '../../internal/duration.js';
import { LongTimer } from '../../internal/long-timer.js';
import type { CheckDefinition, CheckStatus } from '../../structs/check.js';
import type { CheckRunner, Report } from './check-runner.js';
import { outputMaxSize, utf8Prefix } from './interval-runner.js';

/** Consul's output when a TTL runs out with no output set before. */
export const TTL_EXPIRED = 'TTL expired';

/**
 * A TTL check, as Consul's CheckTTL: the check's owner sets its status through update() (the
 * agent's /v1/agent/check/pass|warn|fail|update endpoints); if no update comes for TTL, it
 * reports critical with "TTL expired", or "TTL expired (last output before timeout follows):
 * <output>" if the last update had output. It expires once, then waits for the next update.
 * Thresholds (SuccessBeforePassing, …) do not apply, as in Consul.
 *
 * start() arms the timer; stop() disarms it, forgets the last output and is safe to call twice.
 * update() reports synchronously, always (it is an explicit write), and re-arms the timer
 * only while started. Nothing is reported from start() or after stop() except by update().
 */
export class TtlRunner implements CheckRunner {
  private readonly ttlMs: number;
  private readonly maxOutput: number;
  private readonly logger: Logger;
  private readonly timer = new LongTimer();
  private running = false;
  private lastOutput = '';

  constructor(def: CheckDefinition, private readonly report: Report, logger: Logger) {
    this.ttlMs = def.TTL ? parseDuration(def.TTL) : 0;
    if (!(this.ttlMs > 0)) throw new Error(`check TTL must be > 0, got ${JSON.stringify(def.TTL)}`);
    this.maxOutput = outputMaxSize(def);
    this.logger = logger.child({ component: 'check-ttl', ttl: def.TTL });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.arm();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.timer.clear();
    this.lastOutput = '';
  }

  /**
   * Sets the status and output and renews the TTL. Output longer than OutputMaxSize bytes is cut
   * as Consul does: "<first bytes> ... (captured <max> of <total> bytes)". Returns the output stored.
   */
  update(status: CheckStatus, output: string): string {
    const total = Buffer.byteLength(output);
    const stored = total > this.maxOutput
      ? `${utf8Prefix(Buffer.from(output), this.maxOutput)} ... (captured ${this.maxOutput} of ${total} bytes)`
      : output;
    this.logger.debug('check status updated', { status });
    this.lastOutput = stored;
    if (this.running) this.arm();
    this.report({ status, output: stored });
    return stored;
  }

  private arm(): void {
    this.timer.set(() => this.expire(), this.ttlMs);
  }

  private expire(): void {
    this.logger.warn('check missed TTL, is now critical');
    const output = this.lastOutput ? `${TTL_EXPIRED} (last output before timeout follows): ${this.lastOutput}` : TTL_EXPIRED;
    try {
      this.report({ status: 'critical', output });
    } catch (err) {
      this.logger.error('check report failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
