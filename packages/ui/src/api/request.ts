import { getToken } from './token.js';

/** An answer of the agent other than 2xx, with its status, plain-text message and X-Consul-Index. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly index = 0,
  ) {
    super(message);
  }
}

export interface Answer<T> {
  body: T;
  /** X-Consul-Index, 0 when absent. */
  index: number;
}

export interface RequestOptions {
  method?: 'GET' | 'PUT' | 'DELETE';
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  body?: string;
  signal?: AbortSignal;
}

/** Builds `/v1/<path>?query`; each path segment given by the caller is already encoded. */
export function apiUrl(path: string, query: RequestOptions['query'] = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === false) continue;
    qs.set(k, v === true ? '' : String(v));
  }
  const s = qs.toString().replace(/=(&|$)/g, '$1');
  return `/v1/${path}${s ? `?${s}` : ''}`;
}

/**
 * One call to the agent's HTTP API (the one Consul clients use), with the stored token. JSON
 * answers are parsed; a network failure rejects with a TypeError, an answer that is not 2xx
 * with an ApiError carrying the agent's message.
 */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  const token = getToken();
  if (token) headers['X-Consul-Token'] = token;
  const res = await fetch(apiUrl(path, opts.query), { method: opts.method ?? 'GET', headers, body: opts.body, signal: opts.signal, cache: 'no-store' });
  const text = await res.text();
  const index = Number(res.headers.get('X-Consul-Index') ?? 0) || 0;
  if (!res.ok) throw new ApiError(res.status, text.trim() || res.statusText, index);
  const type = res.headers.get('Content-Type') ?? '';
  const body = (type.includes('json') && text ? JSON.parse(text) : text) as T;
  return { body, index };
}

/** A path segment for the API: `a/b c` → `a/b%20c` (slashes kept, for KV keys). */
export function encodePath(s: string): string {
  return s.split('/').map(encodeURIComponent).join('/');
}
