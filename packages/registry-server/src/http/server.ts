import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { posix } from 'node:path';
import { BadRequestError, MethodNotAllowedError, NotFoundError } from '../errors.js';
import { unprintableProblem } from '../structs/kv-key.js';
import type { Api, Route } from './api.js';
import { ApiRequest } from './api-request.js';
import { flag } from './query-params.js';
import type { Reply } from './reply.js';
import { respond, respondError } from './respond.js';

/** What route families share: `/v1/kv/` for `/v1/kv/a/b` (two segments), `/ui/` for `/ui/dc1/nodes` (one, outside /v1/). */
function familyOf(path: string): string {
  const end = path.indexOf('/', path.startsWith('/v1/') ? 4 : 1);
  return end < 0 ? path : path.slice(0, end + 1);
}

/**
 * Slow-loris bounds (Node's server options). requestTimeout bounds the time to *receive* a whole
 * request, headers and body: Node stops the clock once the request is complete, so a blocking
 * query (no body, answered up to 10 min + jitter later) is never cut. headersTimeout bounds the
 * headers alone and may not exceed requestTimeout. A client past either gets 408 and is closed.
 */
export const DEFAULT_REQUEST_TIMEOUT = 300_000;
export const DEFAULT_HEADERS_TIMEOUT = 60_000;

function requestTimeouts(limits: { httpRequestTimeout?: number; httpHeadersTimeout?: number }): { requestTimeout: number; headersTimeout: number } {
  const requestTimeout = limits.httpRequestTimeout ?? DEFAULT_REQUEST_TIMEOUT;
  return { requestTimeout, headersTimeout: Math.min(limits.httpHeadersTimeout ?? DEFAULT_HEADERS_TIMEOUT, requestTimeout) };
}

/**
 * Answers a request instead of the route table, e.g. by forwarding it to another agent; returns
 * false to leave it to the routes. `path` is decoded and clean.
 */
export type Intercept = (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => boolean;

/** Requests answered elsewhere: `before` sees every request a route takes (path and method known), `unmatched` those no route matches. */
export interface Intercepts {
  before?: Intercept;
  unmatched?: Intercept;
}

/** The query of a request without one; shared, so never modified. */
const NO_QUERY = new URLSearchParams();

/**
 * Dispatches requests to the route table: exact paths first, then the longest matching prefix.
 * Cleans paths as Consul's Go server does (`..` and `//` get a 301 to the clean path), refuses
 * unprintable characters (NUL, control characters: Go's unicode.IsPrint, as Consul does) and bad
 * escapes with 400, unknown paths with 404 and wrong methods with 405.
 */
export class HttpApi {
  private readonly exact = new Map<string, Route>();
  /** Prefix routes by family (`/v1/<family>/`), longest first within a family. */
  private readonly prefixes = new Map<string, Route[]>();
  private readonly perClient = new Map<string, number>();
  private closing = false;
  /** Each request is logged at debug level; decided once, so other levels pay nothing per request. */
  private readonly debug: boolean;
  readonly servers: http.Server[] = [];

  constructor(
    routes: readonly Route[],
    private readonly api: Api,
    private readonly intercepts: Intercepts = {},
  ) {
    for (const r of routes) if (!r.prefix) this.exact.set(r.path, r);
    this.debug = api.log.isDebugEnabled();
    for (const r of routes.filter((x) => x.prefix).sort((a, b) => b.path.length - a.path.length)) {
      const family = familyOf(r.path);
      const list = this.prefixes.get(family) ?? [];
      list.push(r);
      this.prefixes.set(family, list);
    }
  }

  private match(path: string): Route | undefined {
    const r = this.exact.get(path);
    if (r) return r;
    for (const p of this.prefixes.get(familyOf(path)) ?? []) if (path.startsWith(p.path)) return p;
    return undefined;
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const rawPath = qi < 0 ? url : url.slice(0, qi);
    const qs = qi < 0 ? '' : url.slice(qi + 1);
    const what = `${req.method} ${rawPath}`;
    try {
      let path: string;
      try {
        path = rawPath.includes('%') ? decodeURIComponent(rawPath) : rawPath;
      } catch {
        throw new BadRequestError(`Invalid URL path escape in ${JSON.stringify(rawPath)}`);
      }
      const unprintable = unprintableProblem(path);
      if (unprintable) throw new BadRequestError(`Invalid URL path: ${unprintable}`);
      if (path.includes('//') || path.includes('/.')) {
        let clean = posix.normalize(path);
        if (path.endsWith('/') && !clean.endsWith('/')) clean += '/';
        if (clean !== path) {
          res.writeHead(301, { Location: encodeURI(clean) + (qs ? `?${qs}` : ''), 'Content-Length': 0 });
          res.end();
          return;
        }
      }
      const query = qs ? new URLSearchParams(qs) : NO_QUERY;
      const route = this.match(path);
      if (!route && this.intercepts.unmatched?.(req, res, path, query)) return;
      if (!route) throw new NotFoundError(`Unknown API endpoint ${JSON.stringify(path)}`);
      const method = (req.method ?? 'GET') as keyof Route['methods'];
      const handler = route.methods[method];
      if (!handler) throw new MethodNotAllowedError(req.method ?? '', ['OPTIONS', ...Object.keys(route.methods)]);
      if (this.intercepts.before?.(req, res, path, query)) return;
      if (this.closing) res.shouldKeepAlive = false;
      const areq = new ApiRequest(method, path, query, req, res);
      if (route.prefix) areq.param = path.slice(route.path.length);
      const pretty = this.api.config.dev || areq.query.has('pretty');
      if (this.debug) res.once('finish', () => this.api.log.debug('request', { request: what, status: res.statusCode }));
      // Every read (GET) waits, if need be, until each write the store holds is durable,
      // so that nobody sees a write a crash could still lose (StateStore.readable).
      const durable = method === 'GET' ? this.api.store.readable(flag(areq, 'stale') ? 'stale' : 'fresh') : null;
      const out = durable ? durable.then(() => handler(areq, this.api)) : handler(areq, this.api);
      if (out instanceof Promise) {
        out.then((reply: Reply) => respond(res, this.leaderMeta(reply), pretty)).catch((err) => this.fail(res, err, what));
      } else {
        respond(res, this.leaderMeta(out), pretty);
      }
    } catch (err) {
      this.fail(res, err, what);
    }
  };

  /**
   * A read's answer says whether a leader is known and, for a ?stale read, how long ago this
   * server last heard from the store (a default read confirmed it was current just now: 0).
   */
  private leaderMeta(reply: Reply): Reply {
    if (reply.meta) {
      reply.meta.knownLeader = this.api.cluster.knownLeader();
      reply.meta.lastContact = reply.meta.consistency === 'stale' ? this.api.cluster.lastContact() : 0;
    }
    return reply;
  }

  /** Answers an error; if even that cannot be written, drops the connection (never the process). */
  private fail(res: ServerResponse, err: unknown, what: string): void {
    try {
      respondError(res, err, this.api.log, what);
    } catch (writeErr) {
      this.api.log.warn('could not write an error answer; closing the connection', { request: what, error: (writeErr as Error).message });
      res.destroy();
    }
  }

  /** Starts a listener on host:port; resolves with the bound port (port 0 picks one). */
  listen(host: string, port: number): Promise<number> {
    const { requestTimeout, headersTimeout } = requestTimeouts(this.api.config.limits);
    // Node checks both deadlines every connectionsCheckingInterval (30 s by default).
    const connectionsCheckingInterval = Math.max(100, Math.min(30_000, Math.floor(headersTimeout / 4)));
    const server = http.createServer({ keepAlive: true, requestTimeout, headersTimeout, connectionsCheckingInterval }, this.handle);
    const limit = this.api.config.limits.httpMaxConnsPerClient;
    server.on('connection', (socket: Socket) => {
      const ip = socket.remoteAddress ?? '';
      const n = (this.perClient.get(ip) ?? 0) + 1;
      this.perClient.set(ip, n);
      socket.once('close', () => {
        const left = (this.perClient.get(ip) ?? 1) - 1;
        if (left <= 0) this.perClient.delete(ip);
        else this.perClient.set(ip, left);
      });
      if (limit > 0 && n > limit) {
        this.api.log.warn('too many connections from one client; closing (limits.http_max_conns_per_client)', { client: ip, limit });
        socket.destroy();
      }
    });
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve((server.address() as { port: number }).port);
      });
    });
  }

  /**
   * Stops listening and closes every connection: idle ones at once, busy ones after their
   * answer (blocking queries were released by the store), any left after a second by force.
   */
  async close(): Promise<void> {
    this.closing = true;
    const closed = this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    for (const s of this.servers) s.closeIdleConnections();
    const force = setTimeout(() => {
      for (const s of this.servers) s.closeAllConnections();
    }, 1000);
    force.unref();
    await Promise.all(closed);
    clearTimeout(force);
  }
}
