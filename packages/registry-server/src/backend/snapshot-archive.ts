import crypto from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { TAR_END, tarHeader, tarPadding } from '../internal/tar.js';
import type { Snapshot } from '../state/snapshot.js';
import { encodeState } from './state-stream.js';

/**
 * The snapshot archive of GET/PUT /v1/snapshot and `praetor snapshot`: a gzipped tar, laid out
 * like Consul's (meta.json, the state, SHA256SUMS) but holding Praetor's own state. Version 2
 * holds state.jsonl, the state as a record stream (state-stream.ts); version 1 held state.json,
 * one JSON document, and is still read (snapshot-archive-read.ts).
 */
export const SNAPSHOT_FORMAT = 'praetor-snapshot';
export const SNAPSHOT_VERSION = 2;
/** The state file of each archive version this Praetor reads. */
export const STATE_FILES: Readonly<Record<number, string>> = { 1: 'state.json', 2: 'state.jsonl' };
/** Praetor has no Raft elections: a lone writer is always in its first term. */
export const SNAPSHOT_TERM = 1;

export interface SnapshotMeta {
  Format: string;
  Version: number;
  /** `term-index-milliseconds`, as Consul names its snapshots. */
  ID: string;
  Index: number;
  Term: number;
  /** Bytes of the state file. */
  Size: number;
}

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/**
 * The tar stream: the state is encoded twice from the same point-in-time view, once to learn its
 * size and checksum (which meta.json and the tar header need before it), once to send it. Never
 * more than a slice of it is in memory.
 */
async function* archiveTar(snap: Snapshot, now: number): AsyncGenerator<Buffer> {
  let size = 0;
  const first = crypto.createHash('sha256');
  for await (const chunk of encodeState(snap)) {
    size += chunk.length;
    first.update(chunk);
  }
  const stateSum = first.digest('hex');
  const meta: SnapshotMeta = {
    Format: SNAPSHOT_FORMAT,
    Version: SNAPSHOT_VERSION,
    ID: `${SNAPSHOT_TERM}-${snap.revision}-${now}`,
    Index: snap.revision,
    Term: SNAPSHOT_TERM,
    Size: size,
  };
  const metaJson = Buffer.from(JSON.stringify(meta));
  const stateName = STATE_FILES[SNAPSHOT_VERSION]!;
  yield Buffer.concat([tarHeader('meta.json', metaJson.length, now), metaJson, tarPadding(metaJson.length), tarHeader(stateName, size, now)]);
  const second = crypto.createHash('sha256');
  let sent = 0;
  for await (const chunk of encodeState(snap)) {
    second.update(chunk);
    sent += chunk.length;
    yield chunk;
  }
  if (sent !== size || second.digest('hex') !== stateSum) throw new Error('the state changed while it was being archived');
  const sums = Buffer.from(`${sha256(metaJson)}  meta.json\n${stateSum}  ${stateName}\n`);
  yield Buffer.concat([tarPadding(size), tarHeader('SHA256SUMS', sums.length, now), sums, tarPadding(sums.length), TAR_END]);
}

/**
 * The archive of a snapshot (a point-in-time view from takeSnapshot) as a gzip stream, produced
 * a slice at a time with the event loop running between slices. A failure destroys the stream.
 */
export function snapshotArchive(snap: Snapshot, now = Date.now()): Readable {
  const gzip = zlib.createGzip();
  // On failure pipeline destroys gzip with the error, which reaches whoever reads it.
  pipeline(Readable.from(archiveTar(snap, now), { objectMode: false }), gzip, () => undefined);
  return gzip;
}

/** The whole archive in memory (tests, small states). */
export async function snapshotArchiveBuffer(snap: Snapshot, now = Date.now()): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of snapshotArchive(snap, now)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
