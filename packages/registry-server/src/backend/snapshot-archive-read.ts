import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { jsonTooDeep, MAX_JSON_DEPTH } from '../internal/json-depth.js';
import { PraetorError, SnapshotError } from '../errors.js';
import { readTar } from '../internal/tar.js';
import { StateStore } from '../state/state-store.js';
import { reviver } from './embedded/record.js';
import type { Snapshot } from '../state/snapshot.js';
import { stateFromSnapshot } from './restore-state.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, STATE_FILES, type SnapshotMeta } from './snapshot-archive.js';
import { checkSnapshot } from './snapshot-check.js';
import { loadState, StateFormatError } from './state-loader.js';

export interface DecodedSnapshot {
  meta: SnapshotMeta;
  /** A scratch store holding the snapshot's state, checked: ready for Backend.restore. */
  store: StateStore;
  /** Rows per table (nodes, services, checks, kv, sessions, tombstones, index). */
  tables: Record<string, number>;
}

export interface ReadLimits {
  /** The most the archive may inflate to (limits.snapshot_max_size); passing it aborts the read. */
  maxBytes: number;
  /** Where the state is spooled while it is checked (the data dir, or the system's temp dir). */
  tmpDir: string;
}

/** Temporary state files are named `<prefix><pid>-<random>.tmp`. */
const UPLOAD_PREFIX = '.snapshot-upload-';
/** meta.json and SHA256SUMS are a few hundred bytes. */
const SMALL_FILE_MAX = 64 * 1024;

const capMessage = (max: number) => `the decompressed snapshot is larger than ${max} bytes (limits.snapshot_max_size)`;

/** Go's words for the usual gzip failures, so messages read like Consul's. */
function gzipMessage(err: Error): string {
  const code = (err as Error & { code?: string }).code;
  if (code === 'Z_BUF_ERROR') return 'unexpected EOF';
  if (code === 'Z_DATA_ERROR' && /header/.test(err.message)) return 'gzip: invalid header';
  return err.message;
}

/** The inflated archive, in zlib's bounded chunks (inflated off the event loop); stops past `max` bytes. */
async function* inflate(source: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
  let compressed = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      compressed += chunk.length;
      yield chunk;
    }
  }
  const gunzip = zlib.createGunzip();
  // A failure of the source destroys gunzip with it; the loop below then throws it.
  pipeline(Readable.from(counted(), { objectMode: false }), gunzip, () => undefined);
  let total = 0;
  try {
    for await (const chunk of gunzip) {
      total += (chunk as Buffer).length;
      if (total > max) throw new SnapshotError(`failed to decompress snapshot: ${capMessage(max)}`);
      yield chunk as Buffer;
    }
  } catch (err) {
    if (err instanceof PraetorError) throw err;
    throw new SnapshotError(`failed to decompress snapshot: ${compressed === 0 ? 'EOF' : gzipMessage(err as Error)}`);
  } finally {
    gunzip.destroy();
  }
  if (compressed === 0) throw new SnapshotError('failed to decompress snapshot: EOF');
}

async function writeAll(fh: fs.FileHandle, chunk: Buffer): Promise<void> {
  for (let off = 0; off < chunk.length; ) {
    const { bytesWritten } = await fh.write(chunk, off, chunk.length - off);
    if (bytesWritten === 0) throw new Error('the disk accepts no more bytes');
    off += bytesWritten;
  }
}

interface Unpacked {
  /** meta.json and SHA256SUMS, in chunks. */
  small: Map<string, Buffer[]>;
  /** The state file's name and hash, once seen. */
  state: { name: string; hash: crypto.Hash } | null;
  consul: boolean;
}

/** Reads the tar stream, keeping meta.json and SHA256SUMS in memory and spooling the state to `fh`. */
async function unpack(source: AsyncIterable<Buffer>, fh: fs.FileHandle, max: number): Promise<Unpacked> {
  const out: Unpacked = { small: new Map(), state: null, consul: false };
  const bad = (what: string) => new SnapshotError(`failed to read snapshot file: ${what}`);
  try {
    await readTar(source, (name, size) => {
      if (name === 'meta.json' || name === 'SHA256SUMS') {
        if (size > SMALL_FILE_MAX) throw bad(`${name} is ${size} bytes; a snapshot's is at most ${SMALL_FILE_MAX}`);
        const parts: Buffer[] = [];
        out.small.set(name, parts);
        return (chunk) => void parts.push(Buffer.from(chunk));
      }
      if (Object.values(STATE_FILES).includes(name)) {
        if (out.state) throw bad('it holds two states');
        if (size > max) throw new SnapshotError(`failed to decompress snapshot: ${capMessage(max)}`);
        const hash = crypto.createHash('sha256');
        out.state = { name, hash };
        return async (chunk) => {
          hash.update(chunk);
          await writeAll(fh, chunk).catch((err: Error) => {
            throw new SnapshotError(`cannot spool the snapshot to a temporary file: ${err.message}; free disk space and retry`);
          });
        };
      }
      if (name === 'state.bin') out.consul = true;
      return null;
    });
  } catch (err) {
    if (err instanceof PraetorError) throw err;
    throw bad((err as Error).message);
  }
  return out;
}

/** Removes state files that an earlier process left behind (the data dir is this process's alone). */
async function removeStaleSpools(dir: string): Promise<void> {
  const mine = `${UPLOAD_PREFIX}${process.pid}-`;
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (name.startsWith(UPLOAD_PREFIX) && !name.startsWith(mine)) await fs.rm(path.join(dir, name), { force: true });
  }
}

/** Loads the spooled state of a version 1 archive: one JSON document. */
async function loadDocument(file: string): Promise<{ store: StateStore; tables: Record<string, number> }> {
  let snapshot: Snapshot;
  const text = await fs.readFile(file, 'utf8');
  // No deeper than the API takes: the document wraps each entity in three levels.
  const tooDeep = jsonTooDeep(text, MAX_JSON_DEPTH + 3);
  if (tooDeep) throw new SnapshotError(`failed to read snapshot state: ${tooDeep}`);
  try {
    snapshot = JSON.parse(text, reviver) as Snapshot;
  } catch (err) {
    throw new SnapshotError(`failed to read snapshot state: ${(err as Error).message}`);
  }
  const problem = checkSnapshot(snapshot);
  if (problem) throw new SnapshotError(`invalid snapshot state: ${problem}`);
  const tables: Record<string, number> = {};
  for (const [k, v] of Object.entries(snapshot)) if (Array.isArray(v)) tables[k] = v.length;
  return { store: stateFromSnapshot(snapshot), tables };
}

/** Loads the spooled state of a version 2 archive, a record stream, checking every row. */
async function loadStream(fh: fs.FileHandle): Promise<{ store: StateStore; tables: Record<string, number> }> {
  const store = new StateStore();
  const stream = fh.createReadStream({ start: 0, highWaterMark: 256 * 1024, autoClose: false });
  try {
    const { tables } = await loadState(stream, store, true);
    return { store, tables };
  } catch (err) {
    if (err instanceof StateFormatError) throw new SnapshotError(`invalid snapshot state: ${err.message}`);
    throw err;
  } finally {
    stream.destroy();
  }
}

function parseMeta(metaJson: Buffer): SnapshotMeta {
  let meta: SnapshotMeta;
  try {
    meta = JSON.parse(metaJson.toString('utf8')) as SnapshotMeta;
  } catch (err) {
    throw new SnapshotError(`failed to read snapshot metadata: ${(err as Error).message}`);
  }
  if (meta?.Format !== SNAPSHOT_FORMAT) throw new SnapshotError('failed to read snapshot metadata: not a Praetor snapshot');
  if (!STATE_FILES[meta.Version]) throw new SnapshotError(`unsupported snapshot version ${meta.Version}: this Praetor reads versions 1 to ${SNAPSHOT_VERSION}`);
  return meta;
}

/**
 * Reads and fully checks an archive from a byte stream: gzip (inflated in bounded chunks, never
 * past `maxBytes`), tar, checksums, format and version, and the state's content, loaded into a
 * scratch store. The state is spooled to a temporary file in `tmpDir` (removed before this
 * returns) and loaded only once its checksum holds. Throws a SnapshotError saying what is wrong
 * (a Consul snapshot is refused by name); errors of the source (a TooLargeError) pass through.
 */
export async function readSnapshotArchive(source: AsyncIterable<Buffer>, limits: ReadLimits): Promise<DecodedSnapshot> {
  await removeStaleSpools(limits.tmpDir);
  const spool = path.join(limits.tmpDir, `${UPLOAD_PREFIX}${process.pid}-${crypto.randomBytes(6).toString('hex')}.tmp`);
  const fh = await fs.open(spool, 'wx+', 0o600).catch((err: Error) => {
    throw new SnapshotError(`cannot create a temporary file for the snapshot in ${limits.tmpDir}: ${err.message}`);
  });
  try {
    const { small, state, consul } = await unpack(inflate(source, limits.maxBytes), fh, limits.maxBytes);
    const metaJson = small.has('meta.json') ? Buffer.concat(small.get('meta.json')!) : null;
    const sums = small.has('SHA256SUMS') ? Buffer.concat(small.get('SHA256SUMS')!).toString('utf8') : null;
    if (!metaJson || !state || sums === null) {
      if (consul) throw new SnapshotError('failed to read snapshot file: this is a Consul snapshot; Praetor restores only its own');
      throw new SnapshotError(`failed to read snapshot file: not a Praetor snapshot: it must hold meta.json, ${STATE_FILES[SNAPSHOT_VERSION]} and SHA256SUMS`);
    }
    const want = new Map<string, string>();
    for (const line of sums.split('\n')) {
      const m = /^([0-9a-f]{64}) {1,2}(\S+)$/.exec(line.trim());
      if (m) want.set(m[2]!, m[1]!);
    }
    const have = [['meta.json', crypto.createHash('sha256').update(metaJson).digest('hex')], [state.name, state.hash.digest('hex')]];
    for (const [name, sum] of have) {
      if (want.get(name!) !== sum) throw new SnapshotError(`failed to read snapshot file: SHA256 mismatch for ${name}: the archive is corrupt`);
    }
    const meta = parseMeta(metaJson);
    if (STATE_FILES[meta.Version] !== state.name) throw new SnapshotError(`failed to read snapshot file: a version ${meta.Version} snapshot holds ${STATE_FILES[meta.Version]}, not ${state.name}`);
    const { store, tables } = meta.Version === 1 ? await loadDocument(spool) : await loadStream(fh);
    if (store.revision !== meta.Index) throw new SnapshotError(`invalid snapshot: meta.json says index ${meta.Index}, the state is at ${store.revision}`);
    return { meta, store, tables };
  } finally {
    await fh.close().catch(() => undefined);
    await fs.rm(spool, { force: true });
  }
}
