import { SERF_CHECK_ID, type HealthCheck } from '../structs/check.js';
import type { Node } from '../structs/node.js';
import type { Service } from '../structs/service.js';

/** One write that brings the servers' catalog in line with the agent's node. */
export type SyncWrite =
  | { op: 'node' }
  | { op: 'service'; id: string }
  | { op: 'check'; id: string }
  | { op: 'drop-service'; id: string }
  | { op: 'drop-check'; id: string };

/** The agent's node as the servers hold it (`/v1/catalog/node/NODE` and `/v1/health/node/NODE`), null when they do not. */
export interface RemoteNode {
  node: { Address?: string; Meta?: Record<string, string> } | null;
  services: Array<Record<string, unknown>>;
  checks: Array<Record<string, unknown>>;
}

/** The agent's own view: its node, services and checks (serfHealth is the servers' business). */
export interface LocalNode {
  node: Node;
  services: Service[];
  checks: HealthCheck[];
}

/** The fields that must match for an entry to be in sync; what the servers add or normalise is left out. */
const stable = {
  node: (n: { Address?: unknown; Meta?: unknown }) => canonical([n.Address ?? '', n.Meta ?? {}]),
  service: (o: object, s = o as Record<string, unknown>) => canonical([s.ID, s.Service, s.Tags ?? [], s.Address ?? '', s.Meta ?? {}, s.Port ?? 0, s.EnableTagOverride ?? false]),
  check: (o: object, c = o as Record<string, unknown>) => canonical([c.CheckID, c.Name, c.Status, c.Notes ?? '', c.Output ?? '', c.ServiceID ?? '']),
};

/** JSON with object keys sorted, so two equal values give one text. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
}

/** What an entry was last sent as (full canonical JSON), so a change the stable fields miss is still sent. */
export type Sent = Map<string, string>;

export const sentKey = (w: SyncWrite): string => (w.op === 'node' ? 'node' : `${w.op.replace('drop-', '')}:${w.id}`);

/**
 * The writes that make the servers' copy of the node equal to the local one: the node when it
 * is missing or differs, each service or check that is missing, differs in what the servers keep,
 * or changed locally since it was last sent; each service or check the servers have and the
 * agent does not (serfHealth aside) is dropped. A service's checks go with it.
 */
export function catalogDiff(local: LocalNode, remote: RemoteNode, sent: Sent): SyncWrite[] {
  const writes: SyncWrite[] = [];
  const changed = (key: string, full: unknown) => sent.get(key) !== canonical(full);
  if (!remote.node || stable.node(remote.node) !== stable.node(local.node) || changed('node', local.node)) writes.push({ op: 'node' });
  const remoteServices = new Map(remote.services.map((s) => [s.ID as string, s]));
  const remoteChecks = new Map(remote.checks.filter((c) => c.CheckID !== SERF_CHECK_ID).map((c) => [c.CheckID as string, c]));
  const withService = new Set<string>();
  for (const s of local.services) {
    const there = remoteServices.get(s.ID);
    const checks = local.checks.filter((c) => c.ServiceID === s.ID);
    const checksDiffer = checks.some((c) => !remoteChecks.has(c.CheckID) || stable.check(remoteChecks.get(c.CheckID)!) !== stable.check(c) || changed(`check:${c.CheckID}`, c));
    if (!there || stable.service(there) !== stable.service(s) || changed(`service:${s.ID}`, s) || checksDiffer) {
      writes.push({ op: 'service', id: s.ID });
      for (const c of checks) withService.add(c.CheckID);
    }
  }
  for (const c of local.checks) {
    if (withService.has(c.CheckID) || (c.ServiceID && local.services.some((s) => s.ID === c.ServiceID))) continue;
    const there = remoteChecks.get(c.CheckID);
    if (!there || stable.check(there) !== stable.check(c) || changed(`check:${c.CheckID}`, c)) writes.push({ op: 'check', id: c.CheckID });
  }
  const localServices = new Set(local.services.map((s) => s.ID));
  const localChecks = new Set(local.checks.map((c) => c.CheckID));
  for (const id of remoteServices.keys()) if (!localServices.has(id)) writes.push({ op: 'drop-service', id });
  for (const [id, c] of remoteChecks) {
    // A service dropped takes its checks with it.
    if (!localChecks.has(id) && !(c.ServiceID && !localServices.has(c.ServiceID as string))) writes.push({ op: 'drop-check', id });
  }
  return writes;
}
