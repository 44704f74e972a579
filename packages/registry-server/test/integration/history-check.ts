/**
 * A small linearizability check for single-key register histories (reusable by any test that
 * records its own operations). Writes carry unique values. A write that got no answer (an
 * error, a timeout) may or may not have happened: it counts as possibly done, never as done.
 */
export interface Op {
  key: string;
  kind: 'write' | 'read';
  /** Written, or read (null: the key did not exist). */
  value: string | null;
  /** ms (performance.now()) when the request was sent and when its answer came. */
  start: number;
  end: number;
  /** For writes: acknowledged (200 true). Reads are recorded only when they answered. */
  ok: boolean;
}

export interface Violation {
  read: Op;
  why: string;
}

/**
 * For each read: the value it returned was written by a write that began before the read
 * ended (or, for null, no acknowledged write finished before the read began... unless a later
 * one deleted it; these histories never delete), and no acknowledged write that began after
 * that write had finished had itself finished before the read began (the read is not older
 * than a write acknowledged before it started).
 */
export function checkRegisterHistory(ops: readonly Op[]): Violation[] {
  const out: Violation[] = [];
  const byKey = new Map<string, Op[]>();
  for (const op of ops) byKey.set(op.key, [...(byKey.get(op.key) ?? []), op]);
  for (const list of byKey.values()) {
    const writes = list.filter((o) => o.kind === 'write');
    const acked = writes.filter((w) => w.ok);
    for (const r of list.filter((o) => o.kind === 'read')) {
      if (r.value === null) {
        const before = acked.find((w) => w.end < r.start);
        if (before) out.push({ read: r, why: `read nothing, but the write of ${before.value} was acknowledged before the read began` });
        continue;
      }
      const source = writes.find((w) => w.value === r.value);
      if (!source) {
        out.push({ read: r, why: `read ${r.value}, which no write wrote` });
        continue;
      }
      if (source.start > r.end) {
        out.push({ read: r, why: `read ${r.value} before its write began` });
        continue;
      }
      const newer = acked.find((w) => w !== source && w.start > source.end && w.end < r.start);
      if (newer) out.push({ read: r, why: `read ${r.value}, but ${newer.value} was written after it and acknowledged before the read began` });
    }
  }
  return out;
}
