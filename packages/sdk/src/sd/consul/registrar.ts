import type { Logger } from 'winston';
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
  /** Called last with the exit code; default process.exit. */
  exit?: (code: number) => void;
}

export interface ConsulRegistrarOptions {
  /** How often to make sure the agent still has the registration (ms); default 10 s. 0 turns it off. */
  watchdogMs?: number;
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

  constructor(
    private readonly client: AgentClient,
    private readonly registration: ServiceRegistration,
    logger: Logger,
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
          await this.client.updateTtl(id, 'passing');
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

  /** Stops heartbeats and removes the registration; safe to call twice. */
  async deregister(): Promise<void> {
    this.active = false;
    this.abort.abort();
    this.stopTimers();
    await this.client.deregister(this.id);
    this.log.info('deregistered');
  }

  /**
   * The graceful exit: maintenance on (the instance leaves passing results and DNS), wait for
   * watchers to see it, drain in-flight work, deregister, then exit.
   */
  async shutdown(opts: GracefulShutdownOptions = {}): Promise<void> {
    this.log.info('shutting down gracefully');
    // The pauses below use unref'd timers: stay up until the registration is gone.
    const letExit = keepAlive();
    try {
      await this.leave(opts);
    } finally {
      letExit();
    }
  }

  private async leave(opts: GracefulShutdownOptions): Promise<void> {
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
    } catch (err) {
      this.log.error('deregistration failed; the registry reaps the instance once its checks fail', { error: (err as Error).message });
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
    let started = false;
    this.signalHandler = (signal) => {
      if (started) return;
      started = true;
      this.log.info('caught signal', { signal });
      void this.shutdown(opts).finally(() => (opts.exit ?? process.exit)(0));
    };
    for (const s of opts.signals ?? ['SIGINT', 'SIGTERM']) process.on(s, this.signalHandler);
  }

  /** Removes the signal handlers this registrar installed. */
  removeSignalHandlers(): void {
    if (!this.signalHandler) return;
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, this.signalHandler);
    this.signalHandler = null;
  }
}
