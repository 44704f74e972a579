import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { CliError } from './command.js';

/** The HTTP API options every client command takes (see client-flags.ts). */
export interface ApiClientOptions {
  /** `host:port`, `http://host:port` or `https://host:port`. */
  address: string;
  token?: string;
  datacenter?: string;
  stale?: boolean;
}

export interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** X-Consul-Index, 0 when absent. */
  index: number;
}

export type Query = Record<string, string | number | boolean | string[] | undefined>;

/**
 * A small client for the agent's HTTP API, used by the CLI commands. It speaks node:http
 * directly: blocking queries may legitimately wait ten minutes, longer than fetch's
 * header timeout.
 */
export class ApiClient {
  private readonly base: URL;

  constructor(readonly options: ApiClientOptions) {
    const addr = options.address.includes('://') ? options.address : `http://${options.address}`;
    let url: URL;
    try {
      url = new URL(addr);
    } catch {
      throw new CliError(`Invalid HTTP address ${JSON.stringify(options.address)}: use host:port or http://host:port`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new CliError(`Unsupported scheme in HTTP address ${JSON.stringify(options.address)}: use http:// or https://`);
    }
    this.base = url;
  }

  url(path: string, query: Query = {}): URL {
    const u = new URL(path, this.base);
    const q: Query = { dc: this.options.datacenter, stale: this.options.stale || undefined, ...query };
    for (const [k, v] of Object.entries(q)) {
      if (v === undefined || v === false) continue;
      for (const one of Array.isArray(v) ? v : [v]) u.searchParams.append(k, v === true ? '' : String(one));
    }
    return u;
  }

  /** Sends a request; any status is returned. Connection failures throw a CliError saying what to check. */
  request(method: string, path: string, opts: { query?: Query; body?: Buffer | string; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ApiResponse> {
    const url = this.url(path, opts.query);
    const headers: http.OutgoingHttpHeaders = {};
    if (this.options.token) headers['X-Consul-Token'] = this.options.token;
    if (opts.body !== undefined) headers['Content-Length'] = Buffer.byteLength(opts.body);
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers, signal: opts.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), index: Number(res.headers['x-consul-index'] ?? 0) }),
        );
      });
      if (opts.signal) {
        const abort = () => req.destroy(new Error('aborted'));
        if (opts.signal.aborted) abort();
        else opts.signal.addEventListener('abort', abort, { once: true });
      }
      if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
      req.on('error', (err) => {
        if (opts.signal?.aborted) return reject(opts.signal.reason ?? err);
        const verb = method[0] + method.slice(1).toLowerCase();
        reject(new CliError(`${verb} "${url.href}": ${err.message}\nIs a Praetor agent running there? Point at one with -http-addr or CONSUL_HTTP_ADDR.`));
      });
      req.end(opts.body);
    });
  }

  /** A request that must answer 200; anything else throws `Unexpected response code: N (body)` as Consul's client does. */
  async ok(method: string, path: string, opts: Parameters<ApiClient['request']>[2] = {}): Promise<ApiResponse> {
    const res = await this.request(method, path, opts);
    if (res.status !== 200) throw new CliError(`Unexpected response code: ${res.status} (${res.body.toString('utf8').trim()})`);
    return res;
  }

  async getJson<T>(path: string, query?: Query): Promise<T> {
    return JSON.parse((await this.ok('GET', path, { query })).body.toString('utf8')) as T;
  }

  async putJson<T>(path: string, body?: unknown, query?: Query): Promise<T> {
    const res = await this.ok('PUT', path, { query, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = res.body.toString('utf8');
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** Reads the token file named by -token-file / CONSUL_HTTP_TOKEN_FILE. */
export function readTokenFile(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new CliError(`Error reading token file ${path}: ${(err as Error).message}`);
  }
}
