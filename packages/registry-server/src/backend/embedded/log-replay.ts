import fs from 'node:fs/promises';
import path from 'node:path';
import type { StateStore } from '../../state/state-store.js';
import { decodeRecords } from './record.js';

export const SEG = /^wal-(\d{20})\.log$/;

/** Damage found in the log: `file` is good up to byte `at` (0: not at all); `problem` says what is wrong. */
export interface LogDamage {
  name: string;
  at: number;
  problem: string;
}

/** What replaying the log found. */
export interface Replay {
  replayed: number;
  /** Segments read (the ones the snapshot does not cover). */
  segments: number;
  /** A torn final record: the last segment holds a partial write from `at` on. */
  torn?: { name: string; at: number; bytes: number };
  /** Damage (a bad record with good ones after it, or a gap); everything from it on is not loaded. */
  damage?: LogDamage;
  /** With damage: the segments after the damaged one (not loaded either). */
  after: string[];
}

const firstRevision = (name: string) => Number(SEG.exec(name)![1]);

/**
 * Replays the log segments of `dir` (sorted names in `segs`) into `store`, from the store's
 * revision on, without changing any file. Every record must follow the one before it; only the
 * very end of the last segment may hold a torn record (a write cut off before it could be
 * acknowledged). Stops at the first damage and reports it, with the segment's good length.
 */
export async function replayLog(store: StateStore, dir: string, segs: string[]): Promise<Replay> {
  // Segments wholly covered by the snapshot (the next one starts at or before what follows it).
  let start = 0;
  for (let i = 0; i + 1 < segs.length; i++) if (firstRevision(segs[i + 1]!) <= store.revision + 1) start = i + 1;
  const out: Replay = { replayed: 0, segments: 0, after: [] };
  for (let i = start; i < segs.length; i++) {
    const name = segs[i]!;
    if (out.damage) {
      out.after.push(name);
      continue;
    }
    out.segments++;
    const file = path.join(dir, name);
    const buf = await fs.readFile(file);
    const { records, starts, end, validAfter } = decodeRecords(buf);
    for (const [j, rec] of records.entries()) {
      if (rec.r <= store.revision) continue;
      if (rec.r !== store.revision + 1) {
        const before = store.revision === 0 ? 'no snapshot before it could be loaded' : `the state before it ends at revision ${store.revision}`;
        out.damage = { name, at: starts[j]!, problem: `log segment ${file} holds revision ${rec.r} at byte ${starts[j]} but ${before}: the records in between are missing` };
        break;
      }
      store.apply(rec.r, rec.c);
      out.replayed++;
    }
    if (out.damage || end === buf.length) continue;
    if (validAfter >= 0 || i < segs.length - 1) {
      const after = validAfter >= 0 ? `valid records follow it (from byte ${validAfter})` : 'later log segments follow it';
      out.damage = { name, at: end, problem: `log segment ${file} is damaged at byte ${end} (a record with a bad length or checksum) and ${after}, so acknowledged writes may be behind it` };
    } else {
      out.torn = { name, at: end, bytes: buf.length - end };
    }
  }
  return out;
}
