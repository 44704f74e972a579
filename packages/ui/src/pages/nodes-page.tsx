import { useState } from 'preact/hooks';
import type { CatalogNode, HealthCheck } from '../api/types.js';
import { useWatch } from '../api/use-watch.js';
import { Failure } from '../components/failure.js';
import { FilterInput } from '../components/filter-input.js';
import { Link } from '../components/link.js';
import { StatusCountsBadges } from '../components/status-badge.js';
import { countStatuses } from '../health.js';

/** Every node: address and its checks by status (node and service checks); filtered by name or address. */
export function NodesPage(props: { dc: string }) {
  const nodes = useWatch<CatalogNode[]>('catalog/nodes', { dc: props.dc });
  const checks = useWatch<HealthCheck[]>('health/state/any', { dc: props.dc });
  const [text, setText] = useState('');
  if (nodes.error && !nodes.data) return <Failure error={nodes.error} what="the nodes" />;
  const byNode = new Map<string, HealthCheck[]>();
  for (const c of checks.data ?? []) byNode.set(c.Node, [...(byNode.get(c.Node) ?? []), c]);
  const t = text.trim().toLowerCase();
  const shown = (nodes.data ?? []).filter((n) => !t || n.Node.toLowerCase().includes(t) || n.Address.includes(t));
  return (
    <section aria-labelledby="title">
      <h1 id="title">Nodes</h1>
      <div class="toolbar">
        <FilterInput label="Search by name or address" value={text} onInput={setText} />
      </div>
      {nodes.loading ? (
        <p class="muted">Loading…</p>
      ) : (
        <table class="list" aria-label="nodes">
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Address</th>
              <th scope="col">Checks</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((n) => (
              <tr key={n.Node} data-node={n.Node}>
                <th scope="row">
                  <Link to={{ page: 'node', dc: props.dc, name: n.Node }}>{n.Node}</Link>
                </th>
                <td>{n.Address}</td>
                <td class="health">{checks.data ? <StatusCountsBadges counts={countStatuses((byNode.get(n.Node) ?? []).map((c) => c.Status))} noun="check" /> : '…'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!nodes.loading && shown.length === 0 && <p class="muted">No node matches.</p>}
    </section>
  );
}
