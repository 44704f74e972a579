import { useState } from 'preact/hooks';
import type { HealthCheck } from '../api/types.js';
import { useWatch } from '../api/use-watch.js';
import { FilterInput } from '../components/filter-input.js';
import { Link } from '../components/link.js';
import { StatusCountsBadges } from '../components/status-badge.js';
import { Tags } from '../components/tags.js';
import { Failure } from '../components/failure.js';
import { useServiceSummaries, type ServiceSummary } from './service-summaries.js';

type StatusFilter = '' | 'passing' | 'warning' | 'critical';

function matches(name: string, tags: string[], summary: ServiceSummary | undefined, text: string, status: StatusFilter): boolean {
  const t = text.trim().toLowerCase();
  if (t && !name.toLowerCase().includes(t) && !tags.some((tag) => tag.toLowerCase().includes(t))) return false;
  return status === '' || (summary !== undefined && summary.health[status] > 0);
}

/** Every service: instance count, instances by health, tags; filtered by name, tag and status. */
export function ServicesPage(props: { dc: string }) {
  const services = useWatch<Record<string, string[]>>('catalog/services', { dc: props.dc });
  const checks = useWatch<HealthCheck[]>('health/state/any', { dc: props.dc });
  const summaries = useServiceSummaries(props.dc, services.data, checks.data);
  const [text, setText] = useState('');
  const [status, setStatus] = useState<StatusFilter>('');

  if (services.error && !services.data) return <Failure error={services.error} what="the services" />;
  const rows = Object.entries(services.data ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const shown = rows.filter(([name, tags]) => matches(name, tags ?? [], summaries.get(name), text, status));
  return (
    <section aria-labelledby="title">
      <h1 id="title">Services</h1>
      <div class="toolbar">
        <FilterInput label="Search by name or tag" value={text} onInput={setText} />
        <label class="filter">
          <span>Health</span>
          <select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value as StatusFilter)}>
            <option value="">All</option>
            <option value="passing">Some passing</option>
            <option value="warning">Some warning</option>
            <option value="critical">Some critical</option>
          </select>
        </label>
      </div>
      {services.loading ? (
        <p class="muted">Loading…</p>
      ) : (
        <table class="list" aria-label="services">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Instances</th>
              <th scope="col">Health</th>
              <th scope="col">Tags</th>
            </tr>
          </thead>
          <tbody>
            {shown.map(([name, tags]) => {
              const s = summaries.get(name);
              return (
                <tr key={name} data-service={name}>
                  <th scope="row">
                    <Link to={{ page: 'service', dc: props.dc, name }}>{name}</Link>
                  </th>
                  <td class="instances">{s ? s.instances : '…'}</td>
                  <td class="health">
                    {s ? <StatusCountsBadges counts={s.health} noun="instance" /> : '…'}
                    {s && s.inMaintenance > 0 && <span class="badge badge-maintenance">{s.inMaintenance} in maintenance</span>}
                  </td>
                  <td>
                    <Tags tags={tags} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {!services.loading && shown.length === 0 && <p class="muted">{rows.length === 0 ? 'No services are registered.' : 'No service matches.'}</p>}
    </section>
  );
}
