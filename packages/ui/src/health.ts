import type { HealthCheck, Status } from './api/types.js';

/** Consul's maintenance checks: a node's, and a service's (`_service_maintenance:<id>`). */
export const NODE_MAINTENANCE = '_node_maintenance';
export const SERVICE_MAINTENANCE_PREFIX = '_service_maintenance:';

const RANK: Record<Status, number> = { passing: 0, warning: 1, critical: 2 };

/** The worst status among checks (passing when there are none), as Consul aggregates them. */
export function worstStatus(checks: readonly HealthCheck[]): Status {
  let worst: Status = 'passing';
  for (const c of checks) if (RANK[c.Status] > RANK[worst]) worst = c.Status;
  return worst;
}

export interface StatusCounts {
  passing: number;
  warning: number;
  critical: number;
}

export function countStatuses(statuses: Iterable<Status>): StatusCounts {
  const out: StatusCounts = { passing: 0, warning: 0, critical: 0 };
  for (const s of statuses) out[s] += 1;
  return out;
}

/** The maintenance check among these, if the node or the service is in maintenance. */
export function maintenanceCheck(checks: readonly HealthCheck[]): HealthCheck | undefined {
  return checks.find((c) => c.CheckID === NODE_MAINTENANCE || c.CheckID.startsWith(SERVICE_MAINTENANCE_PREFIX));
}
