import { encodePath } from '../api/request.js';
import type { HealthCheck, NodeServices, Session } from '../api/types.js';
import { useWatch } from '../api/use-watch.js';
import { CheckList } from '../components/check-list.js';
import { Failure } from '../components/failure.js';
import { Link } from '../components/link.js';
import { MaintenanceNote } from '../components/maintenance-note.js';
import { StatusBadge } from '../components/status-badge.js';
import { MetaList, Tags } from '../components/tags.js';
import { maintenanceCheck, worstStatus } from '../health.js';

/** One node: address, meta, its node checks (serfHealth among them), its services with their checks, its sessions. */
export function NodePage(props: { dc: string; name: string }) {
  const path = encodePath(props.name);
  const node = useWatch<NodeServices | null>(`catalog/node/${path}`, { dc: props.dc });
  const checks = useWatch<HealthCheck[]>(`health/node/${path}`, { dc: props.dc });
  const sessions = useWatch<Session[]>(`session/node/${path}`, { dc: props.dc });
  const all = checks.data ?? [];
  const nodeChecks = all.filter((c) => c.ServiceID === '');
  const maintenance = maintenanceCheck(nodeChecks);
  return (
    <section aria-labelledby="title">
      <p class="crumbs">
        <Link to={{ page: 'nodes', dc: props.dc }}>Nodes</Link> /
      </p>
      <h1 id="title">
        {checks.data && <StatusBadge status={worstStatus(nodeChecks)} />} {props.name}
      </h1>
      {node.error && <Failure error={node.error} what="the node" />}
      {node.loading && <p class="muted">Loading…</p>}
      {!node.loading && !node.error && !node.data && <p class="muted">No node of this name is registered.</p>}
      {node.data && (
        <>
          <MaintenanceNote check={maintenance} />
          <dl class="facts">
            <div>
              <dt>Address</dt>
              <dd>{node.data.Node.Address}</dd>
            </div>
            <div>
              <dt>ID</dt>
              <dd>{node.data.Node.ID}</dd>
            </div>
          </dl>
          <h2>Node checks</h2>
          <CheckList checks={nodeChecks} label="Node checks" />
          <h2>Services</h2>
          <ul class="cards" aria-label="services on this node">
            {Object.values(node.data.Services ?? {}).map((s) => {
              const own = all.filter((c) => c.ServiceID === s.ID);
              return (
                <li key={s.ID} class="card" data-instance={s.ID}>
                  <h3>
                    <StatusBadge status={worstStatus([...nodeChecks, ...own])} /> <Link to={{ page: 'service', dc: props.dc, name: s.Service }}>{s.Service}</Link>{' '}
                    <span class="muted">{s.ID}</span>
                  </h3>
                  <p class="address">{s.Port ? `${s.Address || node.data!.Node.Address}:${s.Port}` : s.Address || node.data!.Node.Address}</p>
                  <Tags tags={s.Tags} />
                  <CheckList checks={own} label={`Checks of ${s.ID}`} />
                </li>
              );
            })}
          </ul>
          {Object.keys(node.data.Services ?? {}).length === 0 && <p class="muted">No services on this node.</p>}
          <h2>Meta</h2>
          <MetaList meta={node.data.Node.Meta} label="Node meta" />
          <h2>Lock sessions</h2>
          {(sessions.data ?? []).length === 0 ? (
            <p class="muted">No sessions.</p>
          ) : (
            <ul aria-label="sessions of this node">
              {sessions.data!.map((s) => (
                <li key={s.ID}>
                  <Link to={{ page: 'sessions', dc: props.dc }}>{s.Name || s.ID}</Link> <span class="muted">{s.ID}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
