import type { Endpoint } from '@praetor/sdk';
import type { Balancer } from './balancer.js';

/**
 * Decides, after attempt `attempt` (1-based) failed with `error`, whether to try again.
 * `replacement`, if given, is recorded as the failure in place of `error` (it becomes
 * RetryError.final if this was the last attempt). It is not called for the deadline or
 * the caller's abort: those end the retries regardless.
 */
export type RetryCallback = (attempt: number, error: Error) => { keepTrying: boolean; replacement?: Error };

export interface RetryOptions {
  /** Most attempts in all (≥ 1). */
  max: number;
  /** One deadline for all attempts together, in ms (> 0). */
  timeoutMs: number;
  /** Default: keep trying until `max`. */
  callback?: RetryCallback;
  /**
   * Pause before attempt n+1 (ms), fixed or by attempt (1-based) — so a short dip to no
   * endpoints, or every breaker open, does not burn all attempts at once. Default 0. The
   * pause ends early at the deadline or the caller's abort.
   */
  delayMs?: number | ((attempt: number) => number);
  /**
   * Before the first attempt, wait for the balancer's first set from discovery (its ready()),
   * within the call's own deadline: a call made right after setup then finds endpoints instead
   * of failing with NoEndpointsError. Default true; once discovery has answered, the wait costs
   * nothing. When discovery does not answer in time, the call fails with RetryError whose
   * `final` is the ready() error (it names the service and the registry).
   */
  waitForDiscovery?: boolean;
}

/** Every attempt failed, or the deadline or the caller's abort came first. Code: PRAETOR_ERR_RETRY_FAILED. */
export class RetryError extends Error {
  readonly code = 'PRAETOR_ERR_RETRY_FAILED';

  constructor(
    /** What each failed attempt threw, in order (the balancer's errors too), before any replacement. */
    readonly rawErrors: Error[],
    /** Why it stopped: the last error (or its replacement), or the deadline / abort reason. */
    readonly final: Error,
  ) {
    const n = rawErrors.length;
    const earlier = n > 0 ? ` [attempt errors: ${rawErrors.map((e, i) => `${i + 1}: ${e.message}`).join('; ')}]` : '';
    super(`retry gave up after ${n} failed attempt${n === 1 ? '' : 's'}: ${final.message}${earlier}`, { cause: final });
    this.name = new.target.name;
  }
}

const keepTrying: RetryCallback = () => ({ keepTrying: true });

/**
 * Wraps a balancer into one endpoint that retries failed calls. Each attempt asks the
 * balancer for an endpoint (so a retry usually goes to another instance) and calls it with a
 * signal that aborts when the overall deadline passes or the caller's `signal` aborts; the
 * call returns the first success. A balancer error (such as NoEndpointsError) counts as a
 * failed attempt. Retries follow each other at once unless `delayMs` asks for a pause.
 *
 * It stops at `max` attempts, when `callback` says so, at the deadline, or on the caller's
 * abort, and then rejects with RetryError. At the deadline or abort it does not wait for the
 * attempt in flight (which sees its signal abort); `final` is then a DOMException named
 * 'TimeoutError', or the caller's abort reason. An exception thrown by `callback` itself
 * ends the call with that exception. The deadline timer is cleared when the call ends (and
 * is unref'd meanwhile), and the listener on the caller's signal is removed.
 */
export function retry<Req, Res>(balancer: Balancer<Endpoint<Req, Res>>, opts: RetryOptions): Endpoint<Req, Res> {
  const { max, timeoutMs } = opts;
  const callback = opts.callback ?? keepTrying;
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`retry: max must be an integer ≥ 1, got ${max}`);
  if (!(timeoutMs > 0 && timeoutMs <= 0x7fffffff)) throw new RangeError(`retry: timeoutMs must be in (0, 2^31), got ${timeoutMs}`);

  return async (request, callerSignal) => {
    if (callerSignal?.aborted) throw new RetryError([], asError(callerSignal.reason));
    const deadline = new AbortController();
    const { signal } = deadline;
    const timer = setTimeout(() => deadline.abort(new DOMException(`retry deadline of ${timeoutMs}ms exceeded`, 'TimeoutError')), timeoutMs);
    timer.unref();
    const onCallerAbort = (): void => deadline.abort(asError(callerSignal?.reason));
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    // Settles when the deadline or the caller aborts, so an attempt that ignores its signal is
    // not waited for. The signal is this call's own, so its listener goes away with it.
    const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    aborted.catch(() => {});
    const rawErrors: Error[] = [];
    try {
      if (opts.waitForDiscovery !== false && balancer.ready) {
        try {
          await balancer.ready({ timeoutMs, signal });
        } catch (e) {
          throw new RetryError([], asError(e));
        }
      }
      for (let attempt = 1; ; attempt++) {
        try {
          const endpoint = balancer.endpoint();
          return await Promise.race([endpoint(request, signal), aborted]);
        } catch (e) {
          if (signal.aborted) throw new RetryError(rawErrors, asError(signal.reason));
          const error = asError(e);
          rawErrors.push(error);
          const decision = callback(attempt, error);
          const final = decision.replacement ?? error;
          if (!decision.keepTrying || attempt >= max) throw new RetryError(rawErrors, final);
          const pause = typeof opts.delayMs === 'function' ? opts.delayMs(attempt) : (opts.delayMs ?? 0);
          if (pause > 0) {
            await Promise.race([new Promise<void>((r) => setTimeout(r, pause).unref()), aborted]).catch(() => undefined);
            if (signal.aborted) throw new RetryError(rawErrors, asError(signal.reason));
          }
        }
      }
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  };
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
