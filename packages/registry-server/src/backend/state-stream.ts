import crypto from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { KvEntry } from '../structs/kv-entry.js';
import type { Snapshot } from '../state/snapshot.js';

/**
 * The state as a stream of records, one JSON object per line, so that a snapshot of any size is
 * written and read a slice at a time (never as one string):
 *
 *   {"format":"praetor-state","version":1,"revision":R,"kvFloor":F}
 *   {"t":"node","v":{...}}          then services, checks, sessions, configs, kv (Value as {"$b64"})
 *   {"t":"tombstone","k":KEY,"r":REV}
 *   {"t":"index","k":KEY,"r":REV}
 *   {"t":"end","records":N,"sha256":HEX}
 *
 * The end record counts the records and holds the SHA-256 of every byte before it, so a
 * truncated or damaged stream is detected. Rows come in this order so that every reference
 * (a service's node, a lock's session) points backwards.
 */
export const STATE_FORMAT = 'praetor-state';
export const STATE_VERSION = 1;

export interface StateHeader {
  format: string;
  version: number;
  revision: number;
  kvFloor: number;
}

/** Record type → the table it fills (the names snapshot inspect prints). */
export const RECORD_TABLES: Readonly<Record<string, string>> = {
  node: 'nodes',
  service: 'services',
  check: 'checks',
  session: 'sessions',
  config: 'configs',
  kv: 'kv',
  tombstone: 'tombstones',
  index: 'index',
};

/** Output is cut into slices of about this many bytes... */
const SLICE_BYTES = 256 * 1024;
/** ... or this much CPU time, whichever comes first; the event loop runs between slices. */
const SLICE_MS = 4;

/** A KV entry with its value and large flags in JSON form (as the log writes them). */
function plainKv(e: KvEntry): unknown {
  if (!e.Value && typeof e.Flags !== 'bigint') return e;
  const out: Record<string, unknown> = { ...e };
  if (e.Value) out.Value = { $b64: e.Value.toString('base64') };
  if (typeof e.Flags === 'bigint') out.Flags = { $u64: e.Flags.toString() };
  return out;
}

function* lines(snap: Snapshot): Generator<string> {
  for (const v of snap.nodes) yield JSON.stringify({ t: 'node', v });
  for (const v of snap.services) yield JSON.stringify({ t: 'service', v });
  for (const v of snap.checks) yield JSON.stringify({ t: 'check', v });
  for (const v of snap.sessions ?? []) yield JSON.stringify({ t: 'session', v });
  for (const v of snap.configs ?? []) yield JSON.stringify({ t: 'config', v });
  for (const e of snap.kv) yield JSON.stringify({ t: 'kv', v: plainKv(e) });
  for (const [k, r] of snap.tombstones) yield JSON.stringify({ t: 'tombstone', k, r });
  for (const [k, r] of snap.index) yield JSON.stringify({ t: 'index', k, r });
}

/**
 * Encodes a snapshot (a point-in-time view: takeSnapshot copies the references of immutable
 * rows) as a record stream, in slices of a few ms; the event loop runs between slices. The same
 * snapshot always encodes to the same bytes.
 */
export async function* encodeState(snap: Snapshot): AsyncGenerator<Buffer> {
  const hash = crypto.createHash('sha256');
  const header: StateHeader = { format: STATE_FORMAT, version: STATE_VERSION, revision: snap.revision, kvFloor: snap.kvFloor ?? 0 };
  let parts: string[] = [JSON.stringify(header), '\n'];
  let size = 0;
  let records = 0;
  let started = performance.now();
  const take = () => {
    const buf = Buffer.from(parts.join(''));
    hash.update(buf);
    parts = [];
    size = 0;
    return buf;
  };
  for (const line of lines(snap)) {
    parts.push(line, '\n');
    size += line.length;
    records++;
    if (size >= SLICE_BYTES || performance.now() - started >= SLICE_MS) {
      yield take();
      await nextTurn();
      started = performance.now();
    }
  }
  const last = take();
  yield Buffer.concat([last, Buffer.from(`${JSON.stringify({ t: 'end', records, sha256: hash.digest('hex') })}\n`)]);
}
