import { deregisterTx } from '../commands/deregister.js';
import { registerTx } from '../commands/register.js';
import type { Txn } from '../commands/txn.js';
import { SERF_CHECK_ID, SERF_CHECK_NAME } from '../structs/check.js';
import type { Member } from './member.js';

export const ALIVE_OUTPUT = 'Agent alive and reachable';
export const FAILED_OUTPUT = 'Agent not live or unreachable';

/**
 * What Consul's leader does for each LAN member, as commands: a live or failed member's node is
 * registered in the catalog with a serfHealth check (passing, or critical when it failed); a
 * member that left, or was pruned, is deregistered with everything on its node. With
 * `keepNode`, an existing node keeps its fields (address, meta) and only the check is written.
 */
export function memberNodeTx(tx: Txn, m: Member, keepNode = false): boolean {
  if (m.status === 'left') return deregisterTx(tx, { Node: m.name });
  const alive = m.status === 'alive' || m.status === 'leaving';
  registerTx(tx, {
    Node: m.name,
    ID: m.id,
    Address: m.nodeAddr,
    Datacenter: m.datacenter,
    TaggedAddresses: { lan: m.nodeAddr, lan_ipv4: m.nodeAddr, wan: m.nodeAddr, wan_ipv4: m.nodeAddr },
    NodeMeta: { ...m.meta },
    Checks: [
      {
        CheckID: SERF_CHECK_ID,
        Name: SERF_CHECK_NAME,
        Status: alive ? 'passing' : 'critical',
        Notes: '',
        Output: alive ? ALIVE_OUTPUT : FAILED_OUTPUT,
        ServiceID: '',
        Type: '',
        Definition: {},
      },
    ],
    SkipNodeUpdate: keepNode,
  });
  return true;
}

/** A pruned member: its node leaves the catalog. */
export function memberGoneTx(tx: Txn, name: string): boolean {
  return deregisterTx(tx, { Node: name });
}
