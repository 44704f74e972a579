import crypto from 'node:crypto';
import { CLUSTER_KIND } from '../structs/config-entry.js';
import type { Txn } from './txn.js';

/** The name of the cluster's identity record (kind `cluster`). */
export const CLUSTER_IDENTITY = 'identity';

/**
 * Writes the cluster's identity record (a random ClusterID) unless it is there: the first write
 * of a fresh store, before any node, as Consul's leader writes its own configuration before the
 * agents' nodes. Tools that wait for the catalog's index to pass 1 (HashiCorp's Go test server)
 * rely on it, while the agent node's ModifyIndex stays the nodes listing's index. Create-only,
 * so servers starting together write it once.
 */
export function ensureClusterIdentityTx(tx: Txn): boolean {
  if (tx.getConfig(CLUSTER_KIND, CLUSTER_IDENTITY)) return false;
  return tx.putConfig({ Kind: CLUSTER_KIND, Name: CLUSTER_IDENTITY, ClusterID: crypto.randomUUID() });
}
