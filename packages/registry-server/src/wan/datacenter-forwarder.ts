import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'winston';
import { DatacenterUnreachableError, NoPathToDatacenterError } from '../errors.js';
import { readBody } from '../http/api-request.js';
import { forwardRequest, UnreachableError } from '../http/forward/forward-request.js';
import { respondError } from '../http/respond.js';
import type { Intercept } from '../http/server.js';
import type { WanPool } from './wan-pool.js';

/**
 * Paths that answer for this agent or this server alone, whatever ?dc says (as Consul 1.8.7:
 * /v1/agent/* is the local agent, the datacenter list and the event list are this server's).
 */
const LOCAL_PREFIXES = ['/v1/agent/', '/v1/internal/praetor/'];
const LOCAL_PATHS = new Set(['/v1/catalog/datacenters', '/v1/event/list']);

/** True when a request for `path` with ?dc of another datacenter is answered by a server of that datacenter. */
export function forwardsToDatacenter(path: string): boolean {
  return path.startsWith('/v1/') && !LOCAL_PATHS.has(path) && !LOCAL_PREFIXES.some((p) => path.startsWith(p));
}

/**
 * Answers requests for another datacenter (`?dc=dc2` on a /v1/ endpoint that is not the local
 * agent's) by forwarding them to a live server of that datacenter, whose answer (status,
 * X-Consul-Index, KnownLeader, LastContact, body) is passed back as it comes: a blocking query
 * parks one request there, and is aborted there when the caller goes away. When a server does
 * not answer, a read, or a write that certainly did not reach it, goes to the next one. An
 * unknown datacenter answers 500 `No path to datacenter`, as Consul; a known one with no live
 * server, or none that answered, 500 naming it. The body is read first (at most `bodyLimit`
 * bytes), so that it can be sent again.
 */
export class DatacenterForwarder {
  private readonly agent = new http.Agent({ keepAlive: true, maxFreeSockets: 16 });

  constructor(
    private readonly pool: WanPool,
    private readonly bodyLimit: number,
    private readonly log: Logger,
  ) {}

  readonly intercept: Intercept = (req, res, path, query) => {
    const dc = query.get('dc');
    if (!dc || dc === this.pool.datacenter || !forwardsToDatacenter(path)) return false;
    const what = `${req.method} ${path}`;
    const targets = this.pool.forwardTargets(dc);
    if (!targets) {
      respondError(res, new NoPathToDatacenterError(), this.log, what);
      return true;
    }
    this.forward(req, res, dc, targets, what).catch((err) => respondError(res, err, this.log, what));
    return true;
  };

  /** Closes the kept-alive connections to other datacenters. */
  close(): void {
    this.agent.destroy();
  }

  private async forward(req: IncomingMessage, res: ServerResponse, dc: string, targets: string[], what: string): Promise<void> {
    if (targets.length === 0) throw new DatacenterUnreachableError(`No path to datacenter ${dc}: none of its servers answers (see the log of this server)`);
    const tooLarge = (size: number) => `Request body(${size} bytes) too large to forward to datacenter ${dc}, max size: ${this.bodyLimit} bytes.`;
    const body = await readBody(req, res, this.bodyLimit, tooLarge);
    const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: body.length > 0 ? body : null };
    const errors: string[] = [];
    for (const base of targets) {
      try {
        await forwardRequest(base, request, res, this.agent);
        this.log.debug('forwarded', { request: what, datacenter: dc, server: base, status: res.statusCode });
        return;
      } catch (err) {
        if (!(err instanceof UnreachableError)) throw err;
        errors.push(err.message);
        if (err.mayHaveArrived && request.method !== 'GET') {
          throw new DatacenterUnreachableError(`Request to datacenter ${dc} failed: ${err.message}; it may or may not have been applied there`);
        }
        const next = errors.length < targets.length ? '; trying the next one' : '';
        this.log.warn(`a server of datacenter ${dc} did not answer a forwarded request${next}`, { request: what, error: err.message });
      }
    }
    throw new DatacenterUnreachableError(`No server of datacenter ${dc} answered: ${errors.join('; ')}`);
  }
}
