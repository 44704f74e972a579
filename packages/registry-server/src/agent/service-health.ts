import { CHECK_STATUSES, NODE_MAINT_CHECK_ID, SERVICE_MAINT_PREFIX, type CheckStatus, type HealthCheck } from '../structs/check.js';

/** A local service's health as /v1/agent/health/service answers it: a check status, or maintenance. */
export type AggregatedStatus = CheckStatus | 'maintenance';

const RANK: readonly AggregatedStatus[] = [...CHECK_STATUSES, 'maintenance'];

/** The worse of several statuses: maintenance > critical > warning > passing. */
export function worst(statuses: AggregatedStatus[]): AggregatedStatus {
  return statuses.reduce((a, b) => (RANK.indexOf(a) >= RANK.indexOf(b) ? a : b), 'passing');
}

/** Maintenance if a maintenance check is there, else the worst check status (passing with none). */
export function aggregateStatus(checks: HealthCheck[]): AggregatedStatus {
  if (checks.some((c) => c.CheckID === NODE_MAINT_CHECK_ID || c.CheckID.startsWith(SERVICE_MAINT_PREFIX))) return 'maintenance';
  return worst(checks.map((c) => c.Status));
}
