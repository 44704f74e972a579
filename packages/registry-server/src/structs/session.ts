import type { Indexed } from './indexed.js';

export type SessionBehavior = 'release' | 'delete';

/** A service check a session is bound to. */
export interface ServiceCheckRef {
  ID: string;
  Namespace: string;
}

/**
 * A session: a lease that holds KV locks. It ends when destroyed, when its TTL runs out
 * without a renewal, or when its node or one of its checks goes away or turns critical;
 * then the locks it holds are released (or their keys deleted) and the lock-delay applies.
 */
export interface Session extends Indexed {
  ID: string;
  Name: string;
  Node: string;
  /** Nanoseconds, as Consul's JSON carries it. */
  LockDelay: number;
  Behavior: SessionBehavior;
  /** A Go duration, or '' for no TTL. */
  TTL: string;
  NodeChecks: string[];
  ServiceChecks: ServiceCheckRef[] | null;
}

/** The checks (by check ID on the session's node) a session depends on. */
export function sessionCheckIds(s: Pick<Session, 'NodeChecks' | 'ServiceChecks'>): string[] {
  return [...s.NodeChecks, ...(s.ServiceChecks ?? []).map((c) => c.ID)];
}

/** The JSON shape of /v1/session answers (field order as Consul's). */
export function sessionJson(s: Session): Record<string, unknown> {
  return {
    ID: s.ID,
    Name: s.Name,
    Node: s.Node,
    LockDelay: s.LockDelay,
    Behavior: s.Behavior,
    TTL: s.TTL,
    NodeChecks: s.NodeChecks,
    ServiceChecks: s.ServiceChecks,
    CreateIndex: s.CreateIndex,
    ModifyIndex: s.ModifyIndex,
  };
}
