import zlib from 'node:zlib';
import type { Change } from '../../structs/change.js';

/**
 * One log record: [u32 length][u32 crc32 of payload][payload], the payload being JSON of
 * {r: revision, c: changes} with KV values as base64. A torn or corrupt tail is detected by
 * the length or the checksum.
 */
export interface LogRecord {
  r: number;
  c: Change[];
}

const HEADER = 8;

// zlib.crc32 is in Node >= 20.15 (the root package's engines say so).
function crc32(buf: Buffer): number {
  return zlib.crc32(buf) >>> 0;
}

/** KV values as {$b64}, without a replacer function (which would slow every write down). */
function plain(rec: LogRecord): unknown {
  let changes: unknown[] = rec.c;
  if (rec.c.some((c) => c.t === 'kv' && (c.v?.Value || typeof c.v?.Flags === 'bigint'))) {
    changes = rec.c.map((c) => {
      if (c.t !== 'kv' || !c.v) return c;
      const v: Record<string, unknown> = { ...c.v };
      if (c.v.Value) v.Value = { $b64: c.v.Value.toString('base64') };
      if (typeof c.v.Flags === 'bigint') v.Flags = { $u64: c.v.Flags.toString() };
      return { ...c, v };
    });
  }
  return { r: rec.r, c: changes };
}

export function encodeRecord(rec: LogRecord): Buffer {
  const payload = Buffer.from(JSON.stringify(plain(rec)));
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  payload.copy(out, HEADER);
  return out;
}

/** The record at `off`, or null when there is no whole, valid one there (torn, bad checksum, not JSON). */
function recordAt(buf: Buffer, off: number): { rec: LogRecord; next: number } | null {
  if (off + HEADER > buf.length) return null;
  const len = buf.readUInt32LE(off);
  if (len === 0 || off + HEADER + len > buf.length) return null;
  const payload = buf.subarray(off + HEADER, off + HEADER + len);
  if (crc32(payload) !== buf.readUInt32LE(off + 4)) return null;
  try {
    const rec = JSON.parse(payload.toString(), reviver) as LogRecord;
    if (!rec || typeof rec.r !== 'number' || !Array.isArray(rec.c)) return null;
    return { rec, next: off + HEADER + len };
  } catch {
    return null;
  }
}

/**
 * Decodes records from `buf` (`starts`: the offset of each); `end` is the offset just past the
 * last whole, valid record.
 * When bytes follow `end`, `validAfter` is the offset of a whole, valid record somewhere after
 * it (so the bad bytes are damage in the middle of the log, not a torn final write), else -1.
 */
export function decodeRecords(buf: Buffer): { records: LogRecord[]; starts: number[]; end: number; validAfter: number } {
  const records: LogRecord[] = [];
  const starts: number[] = [];
  let off = 0;
  for (let r = recordAt(buf, off); r; r = recordAt(buf, off)) {
    records.push(r.rec);
    starts.push(off);
    off = r.next;
  }
  let validAfter = -1;
  for (let p = off + 1; p + HEADER < buf.length && validAfter < 0; p++) if (recordAt(buf, p)) validAfter = p;
  return { records, starts, end: off, validAfter };
}

/** Buffers (KV values) travel as {"$b64": "..."} in JSON, flags above 2^53 as {"$u64": "..."}. */
export function replacer(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (Buffer.isBuffer(raw)) return { $b64: raw.toString('base64') };
  if (typeof raw === 'bigint') return { $u64: raw.toString() };
  return value;
}

export function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object') {
    const o = value as { $b64?: unknown; $u64?: unknown };
    if (typeof o.$b64 === 'string') return Buffer.from(o.$b64, 'base64');
    if (typeof o.$u64 === 'string') return BigInt(o.$u64);
  }
  return value;
}
