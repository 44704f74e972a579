import os from 'node:os';
import { defaultLogger } from '../../log/default-logger.js';
import type { Logger } from '../../log/logger.js';
import { backoffDelay, sleep, type BackoffOptions } from '../../internal/backoff.js';
import type { Registrar } from '../registrar.js';
import type { ServiceRegistration } from './api-types.js';
import type { AgentClient } from './client.js';
import { ResponseError, UnknownCheckError } from './errors.js';
import { checkIDs, durationMs, validateRegistration } from './registration.js';
import { httpIdle, inFlightHttp, trackInFlightHttp } from '../../internal/in-flight-http.js';
import { keepAlive } from '../../internal/keep-alive.js';

export interface GracefulShutdownOptions {
  /** Default SIGINT and SIGTERM. */
  signals?: NodeJS.Signals[];
  /** How long to stay in maintenance (out of passing results) before draining, so watchers see it (ms). */
  propagationMs?: number;
  /**
   * Waits for in-flight work to finish; called after propagation, before deregistering.
   * Without it, shutdown waits until no request to this process's node:http servers is in
   * flight (seen through Node's diagnostics channel, no wiring needed), at most
   * `drainTimeoutMs`. Other transports (gRPC, raw sockets, queues) need a drain of their own.
   */
  drain?: () => Promise<void>;
  /** The bound of the default drain (ms); default 10 s. */
  drainTimeoutMs?: number;
  /**
   * Called last with the exit code (0, or 1 when deregistering failed; 128 + the signal number
   * on a second signal, which exits at once as Node's default would); default process.exit.
   */
  exit?: (code: number) => void;
}

/** The app's own health, for its TTL checks: a status, or a status with the check's output. */
export type HealthReport = CheckStatus | { status: CheckStatus; output?: string };
export type CheckStatus = 'passing' | 'warning' | 'critical';

export interface ConsulRegistrarOptions {
  /**
   * Asked before every TTL heartbeat, so the registry shows the app's own health instead of
   * "alive": `'warning'` keeps the instance in results at its warning weight, `'critical'`
   * takes it out of passing results. A health function that throws (or rejects) reports
   * critical with the error as output. Default: always passing.
   */
  health?: () => HealthReport | Promise<HealthReport>;
  /** How often to make sure the agent still has the registration (ms); default 10 s. 0 turns it off. */
  watchdogMs?: number;
  /** Backoff of register() while the agent is unreachable or answers 5xx; default 100 ms doubling to 10 s. */
  backoff?: BackoffOptions;
  /** Install signal handlers that run shutdown(). */
  gracefulShutdown?: GracefulShutdownOptions | boolean;
}

export const DEFAULT_WATCHDOG_MS = 10_000;
export const DEFAULT_PROPAGATION_MS = 2_000;
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

/**
 * Registers a service with the local agent and keeps it registered: TTL checks get a heartbeat
 * (every TTL/3); a heartbeat the agent refuses as unknown, or a registration that disappeared
 * (agent restart), triggers a re-registration. register() retries in the background until the
 * agent answers (a malformed registration fails at once, before any request). With
 * gracefulShutdown, SIGINT/SIGTERM run shutdown(): maintenance on, wait for watchers, drain,
 * deregister, exit.
 */
export class ConsulRegistrar implements Registrar {
  private readonly log: Logger;
  private readonly id: string;
  private timers: NodeJS.Timeout[] = [];
  private active = false;
  private abort = new AbortController();
  private reregistering: Promise<void> | null = null;
  private signalHandler: ((s: NodeJS.Signals) => void) | null = null;
  private signals: NodeJS.Signals[] = [];

  constructor(
    private readonly client: AgentClient,
    private readonly registration: ServiceRegistration,
    logger: Logger = defaultLogger(),
    private readonly opts: ConsulRegistrarOptions = {},
  ) {
    validateRegistration(registration);
    this.id = registration.ID || registration.Name;
    this.log = logger.child({ component: 'registrar', service: registration.Name, id: this.id });
    if (opts.gracefulShutdown) this.installSignalHandlers(opts.gracefulShutdown === true ? {} : opts.gracefulShutdown);
  }

  /** The service ID the agent knows it by. */
  get serviceID(): string {
    return this.id;
  }

  async register(): Promise<void> {
    this.active = true;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    // The caller awaits this; the retry pauses alone (unref'd timers) would let Node exit mid-wait.
    const letExit = keepAlive();
    try {
      await this.registerUntilDone();
    } finally {
      letExit();
    }
    if (!this.active) return;
    this.startTimers();
    this.log.info('registered');
  }

  private async registerUntilDone(): Promise<void> {
    for (let attempt = 0; this.active; attempt++) {
      try {
        await this.client.register(this.registration);
        return;
      } catch (err) {
        if (err instanceof ResponseError && err.status !== undefined && err.status < 500) throw err;
        const delay = backoffDelay(attempt, { initialMs: 100, maxMs: 10_000, ...this.opts.backoff });
        this.log.warn('registration failed; retrying in the background', { error: (err as Error).message, delayMs: Math.round(delay) });
        await sleep(delay, this.abort.signal);
      }
    }
  }

  private startTimers(): void {
    this.stopTimers();
    for (const { id, def } of checkIDs(this.registration)) {
      if (!def.TTL) continue;
      const every = Math.max(50, durationMs(def.TTL) / 3);
      const beat = async () => {
        try {
          const { status, output } = await this.health();
          await this.client.updateTtl(id, status, output);
        } catch (err) {
          if (err instanceof UnknownCheckError) {
            this.log.warn('the agent lost our check; registering again', { check: id });
            await this.reregister();
          } else {
            this.log.warn('heartbeat failed', { check: id, error: (err as Error).message });
          }
        }
      };
      void beat();
      const t = setInterval(() => void beat(), every);
      t.unref();
      this.timers.push(t);
    }
    const watchdogMs = this.opts.watchdogMs ?? DEFAULT_WATCHDOG_MS;
    if (watchdogMs > 0) {
      const t = setInterval(async () => {
        try {
          if (!(await this.client.hasService(this.id))) {
            this.log.warn('the agent lost our registration; registering again');
            await this.reregister();
          }
        } catch (err) {
          this.log.debug('watchdog could not reach the agent', { error: (err as Error).message });
        }
      }, watchdogMs);
      t.unref();
      this.timers.push(t);
    }
  }

  /** What the next heartbeat reports: the health function's answer, critical if it throws. */
  private async health(): Promise<{ status: CheckStatus; output: string }> {
    if (!this.opts.health) return { status: 'passing', output: '' };
    try {
      const r = await this.opts.health();
      const report = typeof r === 'string' ? { status: r } : r;
      if (!['passing', 'warning', 'critical'].includes(report?.status)) throw new Error(`the health function returned ${JSON.stringify(r)}`);
      return { status: report.status, output: report.output ?? '' };
    } catch (err) {
      this.log.warn('the health function failed; reporting critical', { error: (err as Error).message });
      return { status: 'critical', output: `health function failed: ${(err as Error).message}` };
    }
  }

  private reregister(): Promise<void> {
    if (this.reregistering) return this.reregistering;
    const p = this.registerUntilDone().then(
      () => void this.log.info('registered again'),
      (err) => void this.log.error('re-registration refused', { error: (err as Error).message }),
    );
    this.reregistering = p;
    void p.finally(() => (this.reregistering = null));
    return p;
  }

  private stopTimers(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /**
   * Stops heartbeats and removes the registration; safe to call twice. It also removes the
   * signal handlers (a process that deregistered by hand has nothing left to shut down).
   */
  async deregister(): Promise<void> {
    this.active = false;
    this.removeSignalHandlers();
    this.abort.abort();
    this.stopTimers();
    await this.client.deregister(this.id);
    this.log.info('deregistered');
  }

  /**
   * The graceful exit: maintenance on (the instance leaves passing results and DNS), wait for
   * watchers to see it, drain in-flight work, deregister. Resolves with whether the
   * registration is gone (false: deregistering failed; the checks will reap it).
   */
  async shutdown(opts: GracefulShutdownOptions = {}): Promise<boolean> {
    this.log.info('shutting down gracefully');
    // The pauses below use unref'd timers: stay up until the registration is gone.
    const letExit = keepAlive();
    try {
      return await this.leave(opts);
    } finally {
      letExit();
    }
  }

  private async leave(opts: GracefulShutdownOptions): Promise<boolean> {
    try {
      await this.client.maintenance(this.id, true, 'shutting down');
      await sleep(opts.propagationMs ?? DEFAULT_PROPAGATION_MS);
    } catch (err) {
      this.log.warn('could not enter maintenance before leaving', { error: (err as Error).message });
    }
    try {
      if (opts.drain) await opts.drain();
      else await this.drainHttp(opts.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
    } catch (err) {
      this.log.warn('draining failed', { error: (err as Error).message });
    }
    try {
      await this.deregister();
      return true;
    } catch (err) {
      this.log.error('deregistration failed; the registry reaps the instance once its checks fail', { error: (err as Error).message });
      return false;
    }
  }

  /** The default drain: the HTTP requests this process is answering. */
  private async drainHttp(timeoutMs: number): Promise<void> {
    const n = inFlightHttp();
    if (n === 0) return;
    this.log.info('waiting for the HTTP requests in flight', { requests: n, timeoutMs });
    if ((await httpIdle(timeoutMs)) === 'timeout') this.log.warn('HTTP requests still in flight after the drain timeout; leaving anyway', { requests: inFlightHttp() });
  }

  private installSignalHandlers(opts: GracefulShutdownOptions): void {
    if (!opts.drain) trackInFlightHttp();
    const exit = opts.exit ?? process.exit;
    let started = false;
    this.signalHandler = (signal) => {
      if (started) {
        // A second signal: the user means it. Exit at once, as Node would without handlers.
        this.log.warn('second signal; exiting without waiting', { signal });
        exit(128 + (os.constants.signals[signal] ?? 0));
        return;
      }
      started = true;
      this.log.info('caught signal', { signal });
      // Keep listening for a second signal while shutting down (deregister() disarms the rest).
      const handler = this.signalHandler!;
      const signals = this.signals;
      void this.shutdown(opts).then((ok) => {
        for (const s of signals) process.off(s, handler);
        exit(ok ? 0 : 1);
      });
    };
    this.signals = opts.signals ?? ['SIGINT', 'SIGTERM'];
    for (const s of this.signals) process.on(s, this.signalHandler);
  }

  /** Removes the signal handlers this registrar installed (custom `signals` too); safe to call twice. */
  removeSignalHandlers(): void {
    if (!this.signalHandler) return;
    for (const s of this.signals) process.off(s, this.signalHandler);
    this.signalHandler = null;
    this.signals = [];
  }
}
