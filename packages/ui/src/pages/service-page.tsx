import { encodePath } from '../api/request.js';
import type { ServiceEntry } from '../api/types.js';
import { useWatch } from '../api/use-watch.js';
import { CheckList } from '../components/check-list.js';
import { Failure } from '../components/failure.js';
import { Link } from '../components/link.js';
import { MaintenanceNote } from '../components/maintenance-note.js';
import { StatusBadge } from '../components/status-badge.js';
import { MetaList, Tags } from '../components/tags.js';
import { maintenanceCheck, worstStatus } from '../health.js';

function Instance(props: { dc: string; entry: ServiceEntry }) {
  const { Node: node, Service: svc, Checks: checks } = props.entry;
  const maintenance = maintenanceCheck(checks);
  const address = svc.Address || node.Address;
  return (
    <li class="card" data-instance={svc.ID} aria-labelledby={`instance-${node.Node}-${svc.ID}`}>
      <h2 id={`instance-${node.Node}-${svc.ID}`}>
        <StatusBadge status={worstStatus(checks)} /> {svc.ID}
      </h2>
      <MaintenanceNote check={maintenance} />
      <dl class="facts">
        <div>
          <dt>Node</dt>
          <dd>
            <Link to={{ page: 'node', dc: props.dc, name: node.Node }}>{node.Node}</Link>
          </dd>
        </div>
        <div>
          <dt>Address</dt>
          <dd class="address">{svc.Port ? `${address}:${svc.Port}` : address}</dd>
        </div>
        {svc.Kind && (
          <div>
            <dt>Kind</dt>
            <dd>{svc.Kind}</dd>
          </div>
        )}
      </dl>
      <Tags tags={svc.Tags} />
      <h3>Meta</h3>
      <MetaList meta={svc.Meta} label="Service meta" />
      <h3>Checks</h3>
      <CheckList checks={checks} label={`Checks of ${svc.ID}`} />
    </li>
  );
}

/** One service: each instance with its node, address, tags, meta, checks and maintenance. */
export function ServicePage(props: { dc: string; name: string }) {
  const { data, error, loading } = useWatch<ServiceEntry[]>(`health/service/${encodePath(props.name)}`, { dc: props.dc });
  return (
    <section aria-labelledby="title">
      <p class="crumbs">
        <Link to={{ page: 'services', dc: props.dc }}>Services</Link> /
      </p>
      <h1 id="title">{props.name}</h1>
      {error && !data && <Failure error={error} what="the service" />}
      {loading && <p class="muted">Loading…</p>}
      {data && data.length === 0 && <p class="muted">This service has no instances.</p>}
      {data && data.length > 0 && (
        <>
          <p>
            {data.length} instance{data.length === 1 ? '' : 's'}
          </p>
          <ul class="cards" aria-label="instances">
            {data.map((e) => (
              <Instance key={`${e.Node.Node}/${e.Service.ID}`} dc={props.dc} entry={e} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
