import type { Indexed } from './indexed.js';

/**
 * KV flags are an unsigned 64-bit integer: a number up to 2^53 - 1, a bigint above (so a value
 * such as Consul's lock flag 0x2ddccbc058a50c18 survives exactly).
 */
export type KvFlags = number | bigint;

/** A key/value entry. `Value` is the raw bytes (null when written empty-bodied by a client that sent none). */
export interface KvEntry extends Indexed {
  Key: string;
  Value: Buffer | null;
  Flags: KvFlags;
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
