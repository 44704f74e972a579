import type { Readable } from 'node:stream';

/** What a handler returns; respond.ts writes it. */
export interface Reply {
  status?: number;
  /** A JSON value to encode (compact, or indented with ?pretty or in -dev). */
  json?: unknown;
  /** A pre-encoded body (raw KV values, cached JSON). */
  body?: Buffer | string;
  /** A body produced as it is sent (a snapshot archive), chunked; a failure cuts the connection. */
  stream?: Readable;
  contentType?: string;
  headers?: Record<string, string>;
  /**
   * Set on reads: adds X-Consul-Index and the leader/consistency headers (knownLeader and
   * lastContact are filled in by the dispatcher, from the cluster).
   */
  meta?: { index: number; consistency: 'leader' | 'stale' | 'consistent'; knownLeader?: boolean; lastContact?: number };
}

export const json = (value: unknown, status = 200): Reply => ({ status, json: value });

/** Applies `f` to a reply that may or may not be ready yet, staying synchronous when it is. */
export function then(r: Reply | Promise<Reply>, f: (r: Reply) => Reply): Reply | Promise<Reply> {
  return r instanceof Promise ? r.then(f) : f(r);
}
