import { InternalError } from '../errors.js';
import type { ServerPool } from './server-pool.js';

/** Consul's words when an agent knows no server to ask (500). */
export const NO_SERVERS = 'No known Consul servers';

export class NoServersError extends InternalError {
  constructor(detail = '') {
    super(detail ? `${NO_SERVERS} (${detail})` : NO_SERVERS);
  }
}

export interface ServerAnswer {
  status: number;
  /** X-Consul-Index, or 0 without one. */
  index: number;
  /** The body parsed as JSON when it is JSON, else the text. */
  body: unknown;
}

/** The body of a 200 answer; any other status throws, saying what could not be done (`what`). */
export function ok(a: ServerAnswer, what: string): unknown {
  if (a.status !== 200) throw new Error(`could not ${what}: the server answered ${a.status} ${typeof a.body === 'string' ? a.body.trim() : JSON.stringify(a.body)}`);
  return a.body;
}

/**
 * One idempotent request of the agent's own (anti-entropy reads and writes) to the servers:
 * the current server first, then the others in turn when one does not answer. Any HTTP answer,
 * error statuses included, is returned; a NoServersError when no server answered at all.
 * Aborting `signal` ends it at once with its error.
 */
export async function askServers(pool: ServerPool, method: 'GET' | 'PUT', path: string, body?: unknown, timeoutMs = 10_000, signal?: AbortSignal): Promise<ServerAnswer> {
  const tried: string[] = [];
  for (const url of pool.inTurn()) {
    let res: Response;
    try {
      const timeout = AbortSignal.timeout(timeoutMs);
      res = await fetch(new URL(path, url), {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      signal?.throwIfAborted();
      tried.push(`${url}: ${(err as Error).message}`);
      pool.failed(url);
      continue;
    }
    pool.use(url);
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        // left as text
      }
    }
    return { status: res.status, index: Number(res.headers.get('x-consul-index')) || 0, body: parsed };
  }
  throw new NoServersError(tried.join('; '));
}
