import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'winston';
import { InternalError } from '../errors.js';
import { readBody } from '../http/api-request.js';
import { forwardRequest, UnreachableError } from '../http/forward/forward-request.js';
import { respondError } from '../http/respond.js';
import type { Intercept } from '../http/server.js';
import { NoServersError } from './server-request.js';
import type { ServerPool } from './server-pool.js';

/** The largest body a client agent passes on (a snapshot restore is the big one). */
const FORWARD_BODY_LIMIT = 256 * 1024 * 1024;

/**
 * A client agent's way with every request it does not answer itself: it is sent to the server
 * the agent uses and that server's answer is passed back as it is (status, headers such as
 * X-Consul-Index and X-Consul-KnownLeader, body), so a blocking query costs the server one
 * parked request. When the server does not answer, a read (or a write that certainly did not
 * reach it) goes to the next server; a blocking query whose server dies, or is given up by the
 * heartbeats, continues on another with the same index.
 */
export function forwardToServers(pool: ServerPool, log: Logger): { intercept: Intercept; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  /** Forwarded requests by server, so they move on when the server is given up. */
  const waiting = new Map<string, Set<AbortController>>();
  const onFailed = (url: string) => {
    for (const c of waiting.get(url) ?? []) c.abort(new Error(`server ${url} was given up`));
  };
  pool.on('failed', onFailed);

  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = req.method === 'GET' || req.method === 'HEAD' ? null : await readBody(req, res, FORWARD_BODY_LIMIT, (n) => `Request body (${n} bytes) too large to forward, max size: ${FORWARD_BODY_LIMIT} bytes.`);
    const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
    const idempotent = request.method === 'GET' || request.method === 'HEAD';
    const tried: string[] = [];
    // Bounded: each known server once, plus one more round for a pool that changed meanwhile.
    for (let attempt = 0; attempt < 2 * Math.max(1, pool.list().length) && !res.destroyed; attempt++) {
      const url = pool.current();
      if (!url) break;
      const abort = new AbortController();
      const set = waiting.get(url) ?? new Set();
      waiting.set(url, set.add(abort));
      try {
        await forwardRequest(url, request, res, agent, abort.signal);
        pool.use(url);
        return;
      } catch (err) {
        if (!(err instanceof UnreachableError)) throw err;
        tried.push(err.message);
        if (!abort.signal.aborted) pool.failed(url);
        if (!idempotent && err.mayHaveArrived) throw new InternalError(`the server did not answer and may or may not have applied the request; check before retrying: ${err.message}`);
      } finally {
        set.delete(abort);
      }
    }
    throw new NoServersError(tried.join('; '));
  };

  return {
    intercept: (req, res, path) => {
      forward(req, res).catch((err) => respondError(res, err, log, `${req.method} ${path} (forwarded)`));
      return true;
    },
    close: () => {
      pool.off('failed', onFailed);
      agent.destroy();
    },
  };
}
