import type { Logger } from 'winston';
import { PermissionDeniedError } from '../errors.js';
import { AUTH_HEADERS, RequestVerifier, signResponse } from './message-auth.js';

/** How often refusals from one remote address are logged (ms); the rest are counted. */
const LOG_EVERY_MS = 10_000;

/**
 * The receiving side of authenticated membership (message-auth.ts), for the members endpoint:
 * with an `encrypt` key it checks each request and signs each answer; without one it lets
 * everything through, as before keys existed. Refusals are logged at WARN, at most once per
 * remote address every 10 s (with how many were not logged), so a flood cannot fill the log.
 */
export class MessageGuard {
  private readonly verifier: RequestVerifier | undefined;
  private readonly lastLog = new Map<string, { at: number; quiet: number }>();

  constructor(
    private readonly key: Buffer | undefined,
    private readonly log: Logger,
  ) {
    this.verifier = key ? new RequestVerifier(key) : undefined;
  }

  /** True when membership messages are authenticated (an encrypt key is set). */
  get enabled(): boolean {
    return this.key !== undefined;
  }

  /**
   * Returns the request's nonce (to sign the answer with), or undefined without a key; throws a
   * PermissionDeniedError (403) for an unsigned, badly signed, stale or replayed request.
   */
  authenticate(method: string, path: string, header: (name: string) => string | undefined, body: Buffer, remote: string): string | undefined {
    if (!this.verifier) return undefined;
    const problem = this.verifier.check(method, path, header, body);
    if (!problem) return header(AUTH_HEADERS.nonce);
    this.warn(remote, problem);
    throw new PermissionDeniedError(problem);
  }

  /** The signature header of an answer to the request that carried `nonce`, or none without a key. */
  answerHeaders(nonce: string | undefined, body: string): Record<string, string> {
    return this.key && nonce ? { 'X-Praetor-Signature': signResponse(this.key, nonce, 200, body) } : {};
  }

  private warn(remote: string, problem: string): void {
    const now = Date.now();
    const last = this.lastLog.get(remote);
    if (last && now - last.at < LOG_EVERY_MS) {
      last.quiet++;
      return;
    }
    if (this.lastLog.size >= 1000) this.lastLog.clear();
    const quiet = last?.quiet ?? 0;
    this.lastLog.set(remote, { at: now, quiet: 0 });
    this.log.warn(
      `refused a membership message from ${remote}: ${problem}` +
        (quiet > 0 ? ` (${quiet} more refused from there since the last warning)` : '') +
        '; every agent of the cluster needs the same "encrypt" key',
      { remote },
    );
  }
}
