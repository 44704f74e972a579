import type { Backend } from '../backend/backend.js';
import { memberGoneTx } from './member-catalog.js';
import type { LeaseRecords, MemberLeases } from './member-leases.js';

/**
 * force-leave for a client member (one attached by heartbeat): a member whose lease runs is left
 * alone (it would refute, as in Consul); otherwise it becomes `left`, or with prune is forgotten,
 * and its node leaves the catalog. Returns false when no client member has that name.
 */
export async function forceLeaveLeased(leases: MemberLeases & LeaseRecords, backend: Backend, name: string, prune: boolean): Promise<boolean> {
  const m = leases.list().find((x) => x.announcement.Name === name);
  if (!m) return false;
  if (m.live) return true;
  if (prune) await leases.forget(name);
  else if (m.status !== 'left') await leases.setStatus(name, 'left');
  await backend.submit((tx) => memberGoneTx(tx, name));
  return true;
}
