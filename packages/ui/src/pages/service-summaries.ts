import { useEffect, useRef, useState } from 'preact/hooks';
import { encodePath, request } from '../api/request.js';
import type { HealthCheck, ServiceEntry, Status } from '../api/types.js';
import { countStatuses, maintenanceCheck, worstStatus, type StatusCounts } from '../health.js';

export interface ServiceSummary {
  instances: number;
  /** Instances by their worst check (node checks included), as /v1/health/service reports them. */
  health: StatusCounts;
  inMaintenance: number;
}

/** How many summaries are fetched at once: browsers allow 6 connections to a host, and live lists hold some. */
const PARALLEL = 2;

/** The checks that decide a service's health: its own, and the node checks of the nodes it runs on. */
function fingerprint(name: string, nodes: ReadonlySet<string> | undefined, checks: readonly HealthCheck[]): string {
  const own = checks.filter((c) => c.ServiceName === name || (c.ServiceID === '' && nodes?.has(c.Node)));
  return own.map((c) => `${c.Node}/${c.CheckID}=${c.Status}`).sort().join(',');
}

function summarize(entries: readonly ServiceEntry[]): ServiceSummary {
  const statuses: Status[] = entries.map((e) => worstStatus(e.Checks));
  return { instances: entries.length, health: countStatuses(statuses), inMaintenance: entries.filter((e) => maintenanceCheck(e.Checks)).length };
}

/**
 * Instance counts and health of every service, for the services list. The list of services and
 * all checks are followed with blocking queries by the caller; each time one of them changes,
 * the services it may have changed are read again (/v1/health/service/<name>, once, no
 * polling): every service when the catalog changed, and only those whose checks (or whose
 * nodes' checks) changed when a check did.
 */
export function useServiceSummaries(dc: string, services: Record<string, string[]> | undefined, checks: HealthCheck[] | undefined): Map<string, ServiceSummary> {
  const [summaries, setSummaries] = useState(() => new Map<string, ServiceSummary>());
  const memo = useRef({ services, dirty: new Set<string>(), prints: new Map<string, string>(), nodes: new Map<string, Set<string>>() });

  useEffect(() => {
    if (!services || !checks) return undefined;
    const m = memo.current;
    const names = Object.keys(services);
    if (m.services !== services) {
      m.services = services;
      for (const n of names) m.dirty.add(n);
    }
    for (const n of names) if (m.prints.get(n) !== fingerprint(n, m.nodes.get(n), checks)) m.dirty.add(n);
    const abort = new AbortController();
    const queue = [...m.dirty].filter((n) => Object.hasOwn(services, n));
    const work = async () => {
      for (let name = queue.shift(); name !== undefined && !abort.signal.aborted; name = queue.shift()) {
        try {
          const { body } = await request<ServiceEntry[]>(`health/service/${encodePath(name)}`, { query: { dc }, signal: abort.signal });
          const nodes = new Set(body.map((e) => e.Node.Node));
          m.nodes.set(name, nodes);
          m.prints.set(name, fingerprint(name, nodes, checks));
          m.dirty.delete(name);
          const summary = summarize(body);
          setSummaries((old) => new Map(old).set(name!, summary));
        } catch {
          // Left dirty: read again at the next change (the live lists report a lost connection).
        }
      }
    };
    for (let i = 0; i < PARALLEL; i++) void work();
    return () => abort.abort();
  }, [dc, services, checks]);
  return summaries;
}
