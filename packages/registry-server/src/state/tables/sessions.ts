import { ownedKey } from '../../structs/change.js';
import { sessionCheckIds, type Session } from '../../structs/session.js';

/** Adds `id` to the set at `key`. */
function link(m: Map<string, Set<string>>, key: string, id: string): void {
  let s = m.get(key);
  if (!s) m.set(key, (s = new Set()));
  s.add(id);
}

function unlink(m: Map<string, Set<string>>, key: string, id: string): void {
  const s = m.get(key);
  if (!s) return;
  s.delete(id);
  if (s.size === 0) m.delete(key);
}

/**
 * Sessions by ID, with the secondary indexes invalidation needs: by node, and by the checks
 * (`ownedKey(node, checkID)`) they are bound to. Lock delays (KV key → until, ms) live here too: they
 * belong to the lock machinery, not to any entry.
 */
export class SessionTable {
  readonly byId = new Map<string, Session>();
  private readonly nodeIndex = new Map<string, Set<string>>();
  private readonly checkIndex = new Map<string, Set<string>>();
  readonly lockDelays = new Map<string, number>();

  get(id: string): Session | undefined {
    return this.byId.get(id);
  }

  put(s: Session): void {
    this.delete(s.ID);
    this.byId.set(s.ID, s);
    link(this.nodeIndex, s.Node, s.ID);
    for (const c of sessionCheckIds(s)) link(this.checkIndex, ownedKey(s.Node, c), s.ID);
  }

  delete(id: string): void {
    const old = this.byId.get(id);
    if (!old) return;
    this.byId.delete(id);
    unlink(this.nodeIndex, old.Node, id);
    for (const c of sessionCheckIds(old)) unlink(this.checkIndex, ownedKey(old.Node, c), id);
  }

  /** IDs of the sessions of a node. */
  ofNode(node: string): string[] {
    return [...(this.nodeIndex.get(node) ?? [])];
  }

  /** IDs of the sessions bound to a check of a node. */
  ofCheck(node: string, checkId: string): string[] {
    return [...(this.checkIndex.get(ownedKey(node, checkId)) ?? [])];
  }

  /** Whether a lock delay holds `key` at `now` (ms). */
  lockDelayed(key: string, now: number): boolean {
    const until = this.lockDelays.get(key);
    if (until === undefined) return false;
    if (until > now) return true;
    this.lockDelays.delete(key);
    return false;
  }

  /** Forgets the lock delays that ran out by `now` (ms); returns how many. */
  reapLockDelays(now: number): number {
    let reaped = 0;
    for (const [key, until] of this.lockDelays) {
      if (until > now) continue;
      this.lockDelays.delete(key);
      reaped++;
    }
    return reaped;
  }

  get size(): number {
    return this.byId.size;
  }
}
