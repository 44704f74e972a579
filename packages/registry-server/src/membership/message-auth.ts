import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Authenticated membership messages. With an `encrypt` key, every membership request an agent
 * sends (join, the periodic announcement that is also the probe, the leave notice) carries
 * an HMAC-SHA256 over the method, path, a timestamp, a random nonce and the body; the
 * receiving agent accepts it only if the signature is right, the timestamp is within
 * WINDOW_MS of its own clock and the nonce was not seen before (a replay). The answer is
 * signed too, bound to the request's nonce, so a joining agent accepts only an agent that
 * holds the same key. Nothing is encrypted: the key proves membership of the cluster.
 */
export const AUTH_HEADERS = {
  timestamp: 'x-praetor-timestamp',
  nonce: 'x-praetor-nonce',
  signature: 'x-praetor-signature',
} as const;

/** How far a request's timestamp may be from the receiver's clock (ms), either way. */
export const WINDOW_MS = 30_000;

/** The most nonces remembered; past it the oldest are forgotten (they are older than the window at any sane rate). */
export const MAX_NONCES = 100_000;

const digest = (body: Buffer | string) => createHash('sha256').update(body).digest('hex');

function mac(key: Buffer, parts: string[]): string {
  return createHmac('sha256', key).update(parts.join('\n')).digest('hex');
}

const requestMac = (key: Buffer, method: string, path: string, ts: string, nonce: string, body: Buffer | string) =>
  mac(key, ['praetor-membership-request-v1', method.toUpperCase(), path, ts, nonce, digest(body)]);

const responseMac = (key: Buffer, nonce: string, status: number, body: Buffer | string) =>
  mac(key, ['praetor-membership-response-v1', nonce, String(status), digest(body)]);

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** The headers that sign one request; `nonce` is what the answer's signature is bound to. */
export function signRequest(key: Buffer, method: string, path: string, body: Buffer | string, now = Date.now()): { headers: Record<string, string>; nonce: string } {
  const ts = String(now);
  const nonce = randomBytes(16).toString('hex');
  return {
    nonce,
    headers: { [AUTH_HEADERS.timestamp]: ts, [AUTH_HEADERS.nonce]: nonce, [AUTH_HEADERS.signature]: requestMac(key, method, path, ts, nonce, body) },
  };
}

/** The signature header value for an answer to the request that carried `nonce`. */
export function signResponse(key: Buffer, nonce: string, status: number, body: Buffer | string): string {
  return responseMac(key, nonce, status, body);
}

/** True when `signature` is the key's signature of this answer. */
export function responseIsSigned(key: Buffer, nonce: string, status: number, body: Buffer | string, signature: string | undefined): boolean {
  return typeof signature === 'string' && sameHex(signature, responseMac(key, nonce, status, body));
}

/**
 * Checks signed requests and remembers their nonces for twice the window, so each signed
 * request is accepted once. Only requests with a valid signature are remembered, so a
 * stranger cannot fill the cache.
 */
export class RequestVerifier {
  /** nonce -> when it may be forgotten (ms); insertion order is expiry order. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly key: Buffer,
    private readonly windowMs = WINDOW_MS,
    private readonly maxNonces = MAX_NONCES,
  ) {}

  /**
   * Returns undefined for an authentic, fresh request (and remembers its nonce), or why it is
   * refused.
   */
  check(method: string, path: string, header: (name: string) => string | undefined, body: Buffer, now = Date.now()): string | undefined {
    const ts = header(AUTH_HEADERS.timestamp);
    const nonce = header(AUTH_HEADERS.nonce);
    const sig = header(AUTH_HEADERS.signature);
    if (!ts || !nonce || !sig) return 'the membership message is not signed (the agent that sent it has no encrypt key, or another one)';
    if (!/^\d{1,15}$/.test(ts) || !/^[0-9a-f]{32}$/.test(nonce) || !sameHex(sig, requestMac(this.key, method, path, ts, nonce, body))) {
      return 'the membership message signature does not match this agent\'s encrypt key';
    }
    const skew = now - Number(ts);
    if (Math.abs(skew) > this.windowMs) {
      return `the membership message is ${Math.round(Math.abs(skew) / 1000)}s ${skew > 0 ? 'old' : 'in the future'} (at most ${this.windowMs / 1000}s allowed: check the clocks of both hosts)`;
    }
    this.forget(now);
    if (this.seen.has(nonce)) return 'the membership message was already received once (a replay)';
    this.seen.set(nonce, now + 2 * this.windowMs);
    return undefined;
  }

  /** How many nonces are remembered (for tests and stats). */
  get size(): number {
    return this.seen.size;
  }

  private forget(now: number): void {
    for (const [nonce, until] of this.seen) {
      if (until > now && this.seen.size < this.maxNonces) break;
      this.seen.delete(nonce);
    }
  }
}
