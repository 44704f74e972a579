import axios, { type AxiosInstance, type AxiosProxyConfig, type AxiosResponse } from 'axios';
import type { Logger } from '../../log/logger.js';
import { parseWithExactField } from '../../internal/exact-json.js';
import type { BlockingOptions, ExactKvPair, KvPair, QueryResponse, ServiceEntry, ServiceRegistration, SessionEntry, SessionRequest } from './api-types.js';
import type { Client, HealthQuery } from './client.js';
import { InvalidSessionError, ResponseError, UnknownCheckError, UnreachableError } from './errors.js';

export interface ClientOptions {
  /**
   * Registry servers in order of preference (`http://host:port` or `host:port`). Default:
   * $PRAETOR_HTTP_ADDR, $CONSUL_HTTP_ADDR, or http://127.0.0.1:8500.
   */
  addresses?: string[];
  /** Sent as X-Consul-Token. Default: $PRAETOR_HTTP_TOKEN or $CONSUL_HTTP_TOKEN. */
  token?: string;
  /** ?dc on every request. */
  datacenter?: string;
  /** Timeout of a non-blocking request (ms). */
  timeoutMs?: number;
  /** Added to wait + wait/16 for a blocking request's client-side timeout (ms). */
  marginMs?: number;
  /** Logs a switch to another server (warn) and unreachable servers (debug); none by default. */
  logger?: Logger;
  /** An axios instance to use (interceptors, agents); one is created otherwise. */
  axios?: AxiosInstance;
  /**
   * How to reach the registry through an HTTP proxy. Default `false`: never, whatever
   * $http_proxy / $https_proxy say, because the registry is the local agent (or servers on the
   * same network), and registrations, heartbeats and 10-minute blocking queries must not go
   * through a corporate proxy. `'env'` opts in to the proxy variables (and $no_proxy); an
   * object names the proxy.
   */
  proxy?: false | 'env' | AxiosProxyConfig;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MARGIN_MS = 5_000;

function normalize(addr: string): string {
  const a = addr.trim().replace(/\/+$/, '');
  return /^https?:\/\//.test(a) ? a : `http://${a}`;
}

function defaultAddresses(): string[] {
  const env = process.env.PRAETOR_HTTP_ADDR || process.env.CONSUL_HTTP_ADDR;
  return [env || 'http://127.0.0.1:8500'];
}

/** The client-side timeout of a blocking query: the server may hold it wait + wait/16. */
export function blockingTimeout(waitMs: number, marginMs = DEFAULT_MARGIN_MS): number {
  return waitMs + waitMs / 16 + marginMs;
}

function kvPath(key: string): string {
  return `/v1/kv/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function isNetworkError(err: unknown): boolean {
  return axios.isAxiosError(err) && !err.response && err.code !== 'ERR_CANCELED';
}

/**
 * The Consul HTTP API over axios, with failover: a request that cannot reach a server (refused,
 * reset, timed out) is tried on the next address, and the one that answered becomes the first
 * choice. A blocking loop keeps its index across the switch: Praetor servers on one etcd cluster
 * share the revision, and the loop resets by the rules if the index goes backwards.
 */
export class AxiosClient implements Client {
  readonly addresses: string[];
  private current = 0;
  private readonly http: AxiosInstance;
  private readonly token?: string;
  private readonly timeoutMs: number;
  private readonly marginMs: number;

  constructor(private readonly opts: ClientOptions = {}) {
    this.addresses = (opts.addresses?.length ? opts.addresses : defaultAddresses()).map(normalize);
    this.http = opts.axios ?? axios.create();
    this.token = opts.token ?? (process.env.PRAETOR_HTTP_TOKEN || process.env.CONSUL_HTTP_TOKEN || undefined);
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.marginMs = opts.marginMs ?? DEFAULT_MARGIN_MS;
  }

  /** The address requests go to first. */
  get address(): string {
    return this.addresses[this.current];
  }

  private async call(
    method: 'GET' | 'PUT' | 'DELETE',
    path: string,
    params: URLSearchParams,
    opts: { data?: unknown; body?: Buffer; waitMs?: number; signal?: AbortSignal } = {},
  ): Promise<AxiosResponse<string>> {
    const dc = this.opts.datacenter;
    if (dc && !params.has('dc')) params.set('dc', dc);
    const headers: Record<string, string> = {};
    if (this.token) headers['X-Consul-Token'] = this.token;
    const timeout = opts.waitMs !== undefined ? blockingTimeout(opts.waitMs, this.marginMs) : this.timeoutMs;
    const errors: string[] = [];
    for (let attempt = 0; attempt < this.addresses.length; attempt++) {
      const i = (this.current + attempt) % this.addresses.length;
      try {
        const res = await this.http.request<string>({
          baseURL: this.addresses[i],
          url: path,
          method,
          params,
          data: opts.body ?? (opts.data === undefined ? undefined : JSON.stringify(opts.data)),
          headers,
          timeout,
          signal: opts.signal,
          responseType: 'text',
          transformResponse: [(d: string) => d],
          validateStatus: () => true,
          ...(this.opts.proxy === 'env' ? {} : { proxy: this.opts.proxy ?? false }),
        });
        if (i !== this.current) {
          this.opts.logger?.warn('registry server switched', { from: this.addresses[this.current], to: this.addresses[i] });
          this.current = i;
        }
        return res;
      } catch (err) {
        if (!isNetworkError(err)) throw err;
        errors.push(`${this.addresses[i]}: ${(err as Error).message}`);
        this.opts.logger?.debug('registry server unreachable', { address: this.addresses[i], error: (err as Error).message });
      }
    }
    throw new UnreachableError(errors.join('; '));
  }

  private fail(res: AxiosResponse<string>, method: string, path: string): never {
    throw new ResponseError(res.status, method, path, res.data ?? '');
  }

  private index(res: AxiosResponse<string>): number {
    const v = Number(res.headers['x-consul-index']);
    return Number.isFinite(v) ? v : 0;
  }

  private blockingParams(q: BlockingOptions): URLSearchParams {
    const p = new URLSearchParams();
    if (q.index) p.set('index', String(q.index));
    if (q.index && q.waitMs !== undefined) p.set('wait', `${Math.round(q.waitMs)}ms`);
    return p;
  }

  async healthService(name: string, q: HealthQuery = {}): Promise<QueryResponse<ServiceEntry[]>> {
    const p = this.blockingParams(q);
    for (const t of q.tags ?? []) p.append('tag', t);
    if (q.passing) p.set('passing', '1');
    if (q.filter) p.set('filter', q.filter);
    if (q.dc) p.set('dc', q.dc);
    const path = `/v1/health/service/${encodeURIComponent(name)}`;
    const res = await this.call('GET', path, p, { waitMs: q.index ? q.waitMs : undefined, signal: q.signal });
    if (res.status !== 200) this.fail(res, 'GET', path);
    return { value: JSON.parse(res.data) as ServiceEntry[], index: this.index(res) };
  }

  async kv(key: string, q: BlockingOptions & { recurse?: boolean; dc?: string } = {}): Promise<QueryResponse<KvPair[] | null>> {
    const p = this.blockingParams(q);
    if (q.recurse) p.set('recurse', '1');
    if (q.dc) p.set('dc', q.dc);
    const path = kvPath(key);
    const res = await this.call('GET', path, p, { waitMs: q.index ? q.waitMs : undefined, signal: q.signal });
    if (res.status === 404) return { value: null, index: this.index(res) };
    if (res.status !== 200) this.fail(res, 'GET', path);
    return { value: JSON.parse(res.data) as KvPair[], index: this.index(res) };
  }

  async register(reg: ServiceRegistration): Promise<void> {
    const path = '/v1/agent/service/register';
    const res = await this.call('PUT', path, new URLSearchParams(), { data: reg });
    if (res.status !== 200) this.fail(res, 'PUT', path);
  }

  async deregister(serviceID: string): Promise<void> {
    const path = `/v1/agent/service/deregister/${encodeURIComponent(serviceID)}`;
    const res = await this.call('PUT', path, new URLSearchParams());
    // Already gone is what was asked for.
    if (res.status !== 200 && res.status !== 404) this.fail(res, 'PUT', path);
  }

  async updateTtl(checkID: string, status: 'passing' | 'warning' | 'critical', output = ''): Promise<void> {
    const path = `/v1/agent/check/update/${encodeURIComponent(checkID)}`;
    const res = await this.call('PUT', path, new URLSearchParams(), { data: { Status: status, Output: output } });
    if (res.status === 404 || /Unknown check ID|does not have associated TTL/.test(res.data ?? '')) throw new UnknownCheckError(checkID, (res.data ?? '').trim());
    if (res.status !== 200) this.fail(res, 'PUT', path);
  }

  async hasService(serviceID: string): Promise<boolean> {
    const path = `/v1/agent/service/${encodeURIComponent(serviceID)}`;
    const res = await this.call('GET', path, new URLSearchParams());
    if (res.status === 404) return false;
    if (res.status !== 200) this.fail(res, 'GET', path);
    return true;
  }

  async maintenance(serviceID: string, enable: boolean, reason = ''): Promise<void> {
    const path = `/v1/agent/service/maintenance/${encodeURIComponent(serviceID)}`;
    const p = new URLSearchParams({ enable: String(enable) });
    if (reason) p.set('reason', reason);
    const res = await this.call('PUT', path, p);
    if (res.status !== 200) this.fail(res, 'PUT', path);
  }

  async createSession(req: SessionRequest): Promise<string> {
    const path = '/v1/session/create';
    const res = await this.call('PUT', path, new URLSearchParams(), { data: req });
    if (res.status !== 200) this.fail(res, 'PUT', path);
    return (JSON.parse(res.data) as { ID: string }).ID;
  }

  async renewSession(id: string): Promise<SessionEntry | null> {
    const path = `/v1/session/renew/${encodeURIComponent(id)}`;
    const res = await this.call('PUT', path, new URLSearchParams());
    if (res.status === 404) return null;
    if (res.status !== 200) this.fail(res, 'PUT', path);
    return (JSON.parse(res.data) as SessionEntry[] | null)?.[0] ?? null;
  }

  async destroySession(id: string): Promise<void> {
    const path = `/v1/session/destroy/${encodeURIComponent(id)}`;
    const res = await this.call('PUT', path, new URLSearchParams());
    if (res.status !== 200) this.fail(res, 'PUT', path);
  }

  async kvPair(key: string, q: BlockingOptions & { consistent?: boolean } = {}): Promise<QueryResponse<ExactKvPair | null>> {
    const p = this.blockingParams(q);
    if (q.consistent) p.set('consistent', '');
    const path = kvPath(key);
    const res = await this.call('GET', path, p, { waitMs: q.index ? q.waitMs : undefined, signal: q.signal });
    if (res.status === 404) return { value: null, index: this.index(res) };
    if (res.status !== 200) this.fail(res, 'GET', path);
    return { value: parseWithExactField<ExactKvPair>(res.data, 'Flags')[0] ?? null, index: this.index(res) };
  }

  kvAcquire(key: string, session: string, value: Buffer | null, flags: bigint): Promise<boolean> {
    return this.kvLock('acquire', key, session, value, flags);
  }

  kvRelease(key: string, session: string, value: Buffer | null, flags: bigint): Promise<boolean> {
    return this.kvLock('release', key, session, value, flags);
  }

  private async kvLock(op: 'acquire' | 'release', key: string, session: string, value: Buffer | null, flags: bigint): Promise<boolean> {
    const path = kvPath(key);
    const p = new URLSearchParams({ [op]: session, flags: String(flags) });
    const res = await this.call('PUT', path, p, { body: value ?? Buffer.alloc(0) });
    if (res.status === 500 && /invalid session/i.test(res.data ?? '')) throw new InvalidSessionError(session, res.data);
    if (res.status !== 200) this.fail(res, 'PUT', path);
    return JSON.parse(res.data) === true;
  }

  async kvDeleteCas(key: string, modifyIndex: number): Promise<boolean> {
    const path = kvPath(key);
    const res = await this.call('DELETE', path, new URLSearchParams({ cas: String(modifyIndex) }));
    if (res.status !== 200) this.fail(res, 'DELETE', path);
    return JSON.parse(res.data) === true;
  }
}
