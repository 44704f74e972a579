import type { ConfigEntry } from '../structs/config-entry.js';
import { InvalidWriteError } from '../errors.js';
import type { Txn } from './txn.js';

type Unindexed = Omit<ConfigEntry, 'CreateIndex' | 'ModifyIndex'>;

/** The protocol a service speaks for an ingress listener: its service-defaults', else proxy-defaults' `protocol`, else tcp. */
function serviceProtocol(tx: Txn, service: string): string {
  const own = tx.getConfig('service-defaults', service)?.Protocol;
  if (typeof own === 'string' && own) return own;
  const global = (tx.getConfig('proxy-defaults', 'global')?.Config as Record<string, unknown> | null | undefined)?.protocol;
  return typeof global === 'string' && global ? global : 'tcp';
}

/**
 * PUT /v1/config: writes an entry; with `cas` only if its ModifyIndex is still `cas` (0: only if
 * absent). Returns whether it was written. An ingress gateway's listeners must speak the
 * protocol of the services they list, as Consul checks.
 */
export function configEntrySetTx(tx: Txn, entry: Unindexed, cas?: number): boolean {
  const existing = tx.getConfig(entry.Kind as string, entry.Name as string);
  if (cas !== undefined && (existing?.ModifyIndex ?? 0) !== cas) return false;
  tx.putConfig(entry);
  if (entry.Kind === 'ingress-gateway') checkIngress(tx, entry);
  else checkIngresses(tx, entry.Kind as string);
  return true;
}

/** DELETE /v1/config/:kind/:name; deleting what is not there is not an error. */
export function configEntryDeleteTx(tx: Txn, kind: string, name: string): void {
  tx.deleteConfig(kind, name);
  checkIngresses(tx, kind);
}

/** Each listener of an ingress gateway must speak the protocol of the services it lists. */
function checkIngress(tx: Txn, entry: Unindexed): void {
  for (const l of entry.Listeners as Array<{ Protocol: string; Services: Array<{ Name: string }> }>) {
    for (const s of l.Services) {
      const protocol = serviceProtocol(tx, s.Name);
      if (protocol !== l.Protocol) throw new InvalidWriteError(`service ${JSON.stringify(s.Name)} has protocol ${JSON.stringify(protocol)}, which does not match defined listener protocol ${JSON.stringify(l.Protocol)}`);
    }
  }
}

/** A change to service-defaults or proxy-defaults must leave every ingress gateway valid (their protocols come from them). */
function checkIngresses(tx: Txn, kind: string): void {
  if (kind !== 'service-defaults' && kind !== 'proxy-defaults') return;
  for (const g of tx.configsOfKind('ingress-gateway')) checkIngress(tx, tx.getConfig(g.Kind, g.Name) ?? g);
}
