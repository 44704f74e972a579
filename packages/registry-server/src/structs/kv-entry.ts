import type { Indexed } from './indexed.js';

/** A key/value entry. `Value` is the raw bytes (null when written empty-bodied by a client that sent none). */
export interface KvEntry extends Indexed {
  Key: string;
  Value: Buffer | null;
  Flags: number;
  LockIndex: number;
  Session?: string;
}

/** The JSON shape of /v1/kv: Value as base64. */
export function kvEntryJson(e: KvEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {
    LockIndex: e.LockIndex,
    Key: e.Key,
    Flags: e.Flags,
    Value: e.Value === null ? null : e.Value.toString('base64'),
  };
  if (e.Session) out.Session = e.Session;
  out.CreateIndex = e.CreateIndex;
  out.ModifyIndex = e.ModifyIndex;
  return out;
}
