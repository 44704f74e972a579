import { BadRequestError, InvalidWriteError, NoPathToDatacenterError } from '../errors.js';
import { compileFilter, type Filter } from '../filter/filter.js';
import type { StructType } from '../filter/schema.js';
import { parseDuration } from '../internal/duration.js';
import type { NodeMetaFilter } from '../state/queries/node-meta.js';
import type { ApiRequest } from './api-request.js';

const MAX_UINT64 = 18446744073709551615n;

/**
 * A boolean query flag in every form real clients send: present and empty (`?stale`,
 * `?stale=`), `1`, `true`, `t` are true; `0`, `false`, `f` are false; absent is false.
 */
export function flag(req: ApiRequest, name: string): boolean {
  const v = req.query.get(name);
  if (v === null) return false;
  switch (v.toLowerCase()) {
    case '':
    case '1':
    case 't':
    case 'true':
      return true;
    case '0':
    case 'f':
    case 'false':
      return false;
    default:
      throw new BadRequestError(`Invalid value for ?${name}: ${JSON.stringify(v)} (use true or false)`);
  }
}

/** An unsigned 64-bit integer parameter; undefined when absent. */
export function uintParam(req: ApiRequest, name: string, message: string): number | undefined {
  const v = req.query.get(name);
  if (v === null) return undefined;
  if (!/^\d+$/.test(v) || BigInt(v) > MAX_UINT64) throw new BadRequestError(message);
  return Number(v);
}

/** An unsigned 64-bit parameter kept exact: a number up to 2^53 - 1, a bigint above. */
export function uint64Param(req: ApiRequest, name: string, message: string): number | bigint | undefined {
  const v = req.query.get(name);
  if (v === null) return undefined;
  if (!/^\d+$/.test(v) || BigInt(v) > MAX_UINT64) throw new BadRequestError(message);
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : BigInt(v);
}

export interface QueryOptions {
  /** The client's last index; 0 or absent answers at once. */
  minIndex: number;
  /** How long to block (ms), jitter included; only used when minIndex > 0. */
  waitMs: number;
  consistency: 'leader' | 'stale' | 'consistent';
}

export interface QueryLimits {
  defaultQueryTime: number;
  maxQueryTime: number;
}

/** ?index, ?wait, ?stale, ?consistent as Consul reads them; wait gets up to wait/16 of jitter. */
export function queryOptions(req: ApiRequest, limits: QueryLimits): QueryOptions {
  // Most reads carry no parameters at all.
  if (req.query.size === 0) return { minIndex: 0, waitMs: limits.defaultQueryTime, consistency: 'leader' };
  const minIndex = uintParam(req, 'index', 'Invalid index') ?? 0;
  let waitMs = limits.defaultQueryTime;
  const w = req.query.get('wait');
  if (w !== null) {
    let ms: number;
    try {
      ms = parseDuration(w);
    } catch {
      throw new BadRequestError('Invalid wait time');
    }
    if (ms < 0) throw new BadRequestError('Invalid wait time');
    if (ms > 0) waitMs = ms;
  }
  waitMs = Math.min(waitMs, limits.maxQueryTime);
  waitMs += Math.random() * (waitMs / 16);
  const stale = flag(req, 'stale');
  const consistent = flag(req, 'consistent');
  if (stale && consistent) throw new BadRequestError('Cannot specify ?stale with ?consistent, conflicting semantics.');
  return { minIndex, waitMs, consistency: stale ? 'stale' : consistent ? 'consistent' : 'leader' };
}

/**
 * ?filter, compiled once per request for the items of the endpoint (`schema`), before any
 * blocking wait. An empty filter is no filter, as in Consul. Endpoints that do not filter
 * (`schema` absent) refuse one with a 400: Consul ignores it there, but an ignored filter
 * would silently return more than the client asked for.
 */
export function filterParam(req: ApiRequest, schema: StructType | undefined): Filter | undefined {
  const expression = req.query.get('filter');
  if (!expression) return undefined;
  if (!schema) throw new BadRequestError('Filter expressions (?filter=) are not supported by this endpoint');
  return compileFilter(expression, schema);
}

/** ?dc: this datacenter or none; any other is Consul's 500. */
export function checkDatacenter(req: ApiRequest, datacenter: string): void {
  const dc = req.query.get('dc');
  if (dc && dc !== datacenter) throw new NoPathToDatacenterError();
}

/** ?tag, repeatable: every tag must be on the instance. */
export function tags(req: ApiRequest): string[] {
  return req.query.getAll('tag');
}

/** ?node-meta=key:value, repeatable. */
export function nodeMeta(req: ApiRequest): NodeMetaFilter {
  return req.query.getAll('node-meta').map((kv) => {
    const i = kv.indexOf(':');
    return i < 0 ? ([kv, ''] as const) : ([kv.slice(0, i), kv.slice(i + 1)] as const);
  });
}

/** A byte as Go's `%#U` prints it: `U+0067 'g'`, without the quoted character when Go deems it unprintable. */
function goRune(b: number): string {
  const code = `U+${b.toString(16).toUpperCase().padStart(4, '0')}`;
  const printable = (b >= 0x20 && b <= 0x7e) || (b >= 0xa1 && b !== 0xad);
  return printable ? `${code} '${String.fromCharCode(b)}'` : code;
}

/**
 * A session ID from the path or ?acquire=, checked as Consul's store parses UUIDs, in its order
 * (length, hyphens, even length, hex digits); failures are 500s worded as Consul's. Anything
 * else is a lookup key compared by its bytes: returns the canonical (lowercase 8-4-4-4-12) form,
 * which finds an uppercase ID's session and nothing for hex of another length.
 */
export function sessionIdParam(id: string): string {
  const fail = (why: string) => new InvalidWriteError(`failed session lookup: index error: ${why}`);
  // Lengths in bytes, as Go counts them.
  if (Buffer.byteLength(id) !== 36) throw fail('UUID must be 36 characters');
  const hyphens = id.split('-').length - 1;
  if (hyphens > 4) throw fail(`UUID should have maximum of 4 "-"; got ${hyphens}`);
  const hex = id.replaceAll('-', '');
  const bytes = Buffer.from(hex, 'utf8');
  if (bytes.length % 2 !== 0) throw fail('Input (without hyphens) must be even length');
  const bad = bytes.findIndex((b) => !/[0-9a-fA-F]/.test(String.fromCharCode(b)));
  if (bad >= 0) throw fail(`Invalid UUID: encoding/hex: invalid byte: ${goRune(bytes[bad]!)}`);
  const h = hex.toLowerCase();
  return h.length === 32 ? `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` : h;
}
