import fs from 'node:fs/promises';
import { StateStore } from '../../state/state-store.js';
import { loadState } from '../state-loader.js';
import { encodeState, STATE_FORMAT } from '../state-stream.js';
import { reviver } from './record.js';
import { restoreSnapshot, type Snapshot } from '../../state/snapshot.js';

/** Read-ahead when loading a snapshot file. */
const READ_CHUNK = 256 * 1024;

/**
 * Writes a snapshot as a record stream (state-stream.ts) through an open file, a slice at a time,
 * so the state is bounded by disk rather than by the longest string V8 can build, and the event
 * loop keeps running while it is written. The caller syncs and renames the file.
 */
export async function writeStateFile(fh: fs.FileHandle, snap: Snapshot): Promise<void> {
  for await (const chunk of encodeState(snap)) {
    let off = 0;
    while (off < chunk.length) {
      const { bytesWritten } = await fh.write(chunk, off, chunk.length - off);
      if (bytesWritten === 0) throw new Error('the disk accepts no more bytes');
      off += bytesWritten;
    }
  }
}

/**
 * Loads the snapshot file at `file` into `store` and returns its revision, or throws (saying
 * what is wrong, `store` untouched) when the file cannot be read whole. The record stream is
 * read a slice at a time into a scratch store that then takes the place of `store`'s state;
 * snapshot files written before record streams (one JSON document) still load.
 */
export async function loadSnapshotFile(file: string, store: StateStore): Promise<number> {
  const fresh = new StateStore();
  const revision = await loadInto(file, fresh);
  store.replaceWith(fresh);
  return revision;
}

async function loadInto(file: string, store: StateStore): Promise<number> {
  const fh = await fs.open(file, 'r').catch((err: Error) => {
    throw new Error(`snapshot ${file} cannot be opened: ${err.message}`);
  });
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    if (!head.subarray(0, bytesRead).toString('latin1').includes(`"format":"${STATE_FORMAT}"`)) return await loadLegacy(fh, store);
    const stream = fh.createReadStream({ start: 0, highWaterMark: READ_CHUNK, autoClose: false });
    try {
      return (await loadState(stream, store, false)).revision;
    } finally {
      stream.destroy();
    }
  } catch (err) {
    throw new Error(`snapshot ${file} cannot be loaded: ${(err as Error).message}`);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** The format before record streams: the whole state as one JSON document. */
async function loadLegacy(fh: fs.FileHandle, store: StateStore): Promise<number> {
  const snap = JSON.parse(await fh.readFile('utf8'), reviver) as Snapshot;
  restoreSnapshot(store, snap);
  return snap.revision;
}
