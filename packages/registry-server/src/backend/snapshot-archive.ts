import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { SnapshotError } from '../errors.js';
import { packTar, unpackTar } from '../internal/tar.js';
import { replacer, reviver } from './embedded/record.js';
import type { Snapshot } from './embedded/snapshot.js';
import { checkSnapshot } from './snapshot-check.js';

/**
 * The snapshot archive of GET/PUT /v1/snapshot and `praetor snapshot`: a gzipped tar, laid out
 * like Consul's (meta.json, the state, SHA256SUMS) but holding Praetor's own state: state.json
 * is the embedded backend's snapshot (every table, the index table, tombstones, the revision).
 */
export const SNAPSHOT_FORMAT = 'praetor-snapshot';
export const SNAPSHOT_VERSION = 1;
/** Praetor has no Raft elections: a lone writer is always in its first term. */
export const SNAPSHOT_TERM = 1;
/** The most a decompressed archive may hold (a guard against a gzip bomb). */
export const SNAPSHOT_MAX_BYTES = 1024 * 1024 * 1024;

export interface SnapshotMeta {
  Format: string;
  Version: number;
  /** `term-index-milliseconds`, as Consul names its snapshots. */
  ID: string;
  Index: number;
  Term: number;
  /** Bytes of state.json. */
  Size: number;
}

export interface DecodedSnapshot {
  meta: SnapshotMeta;
  snapshot: Snapshot;
  /** Rows per table (every array in the state: nodes, services, checks, kv, tombstones, ...). */
  tables: Record<string, number>;
}

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

export function encodeSnapshotArchive(snap: Snapshot, now = Date.now()): Buffer {
  const state = Buffer.from(JSON.stringify(snap, replacer));
  const meta: SnapshotMeta = {
    Format: SNAPSHOT_FORMAT,
    Version: SNAPSHOT_VERSION,
    ID: `${SNAPSHOT_TERM}-${snap.revision}-${now}`,
    Index: snap.revision,
    Term: SNAPSHOT_TERM,
    Size: state.length,
  };
  const metaJson = Buffer.from(JSON.stringify(meta));
  const sums = Buffer.from(`${sha256(metaJson)}  meta.json\n${sha256(state)}  state.json\n`);
  const tar = packTar(
    [
      { name: 'meta.json', data: metaJson },
      { name: 'state.json', data: state },
      { name: 'SHA256SUMS', data: sums },
    ],
    now,
  );
  return zlib.gzipSync(tar);
}

/**
 * Reads and fully checks an archive: gzip, tar, checksums, format and version, and the state's
 * content. Throws a SnapshotError saying what is wrong; a Consul snapshot is refused by name.
 */
export function decodeSnapshotArchive(archive: Buffer): DecodedSnapshot {
  if (archive.length === 0) throw new SnapshotError('failed to decompress snapshot: EOF');
  let tar: Buffer;
  try {
    tar = zlib.gunzipSync(archive, { maxOutputLength: SNAPSHOT_MAX_BYTES });
  } catch (err) {
    throw new SnapshotError(`failed to decompress snapshot: ${gzipMessage(err as Error)}`);
  }
  let files: Map<string, Buffer>;
  try {
    files = unpackTar(tar);
  } catch (err) {
    throw new SnapshotError(`failed to read snapshot file: ${(err as Error).message}`);
  }
  const metaJson = files.get('meta.json');
  const state = files.get('state.json');
  const sums = files.get('SHA256SUMS');
  if (!metaJson || !state || !sums) {
    if (files.has('state.bin')) throw new SnapshotError('failed to read snapshot file: this is a Consul snapshot; Praetor restores only its own');
    throw new SnapshotError('failed to read snapshot file: not a Praetor snapshot: it must hold meta.json, state.json and SHA256SUMS');
  }
  const want = new Map<string, string>();
  for (const line of sums.toString('utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) {1,2}(\S+)$/.exec(line.trim());
    if (m) want.set(m[2]!, m[1]!);
  }
  for (const [name, data] of [['meta.json', metaJson], ['state.json', state]] as const) {
    if (want.get(name) !== sha256(data)) throw new SnapshotError(`failed to read snapshot file: SHA256 mismatch for ${name}: the archive is corrupt`);
  }
  let meta: SnapshotMeta;
  try {
    meta = JSON.parse(metaJson.toString('utf8')) as SnapshotMeta;
  } catch (err) {
    throw new SnapshotError(`failed to read snapshot metadata: ${(err as Error).message}`);
  }
  if (meta?.Format !== SNAPSHOT_FORMAT) throw new SnapshotError('failed to read snapshot metadata: not a Praetor snapshot');
  if (meta.Version !== SNAPSHOT_VERSION) throw new SnapshotError(`unsupported snapshot version ${meta.Version}: this Praetor reads version ${SNAPSHOT_VERSION}`);
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(state.toString('utf8'), reviver) as Snapshot;
  } catch (err) {
    throw new SnapshotError(`failed to read snapshot state: ${(err as Error).message}`);
  }
  const problem = checkSnapshot(snapshot);
  if (problem) throw new SnapshotError(`invalid snapshot state: ${problem}`);
  if (snapshot.revision !== meta.Index) throw new SnapshotError(`invalid snapshot: meta.json says index ${meta.Index}, the state is at ${snapshot.revision}`);
  const tables: Record<string, number> = {};
  for (const [k, v] of Object.entries(snapshot)) if (Array.isArray(v)) tables[k] = v.length;
  return { meta, snapshot, tables };
}

/** Go's words for the usual gzip failures, so messages read like Consul's. */
function gzipMessage(err: Error): string {
  const code = (err as Error & { code?: string }).code;
  if (code === 'Z_BUF_ERROR') return 'unexpected EOF';
  if (code === 'Z_DATA_ERROR' && /header/.test(err.message)) return 'gzip: invalid header';
  if (code === 'ERR_BUFFER_TOO_LARGE') return `the decompressed snapshot is larger than ${SNAPSHOT_MAX_BYTES} bytes`;
  return err.message;
}
