import type { HealthCheck } from '../api/types.js';
import { StatusBadge } from './status-badge.js';

/** Every check with its status, output and notes. */
export function CheckList(props: { checks: readonly HealthCheck[]; label: string }) {
  if (props.checks.length === 0) return <p class="muted">No checks.</p>;
  return (
    <ul class="checks" aria-label={props.label}>
      {props.checks.map((c) => (
        <li key={`${c.Node}/${c.CheckID}`} class="check" data-check-id={c.CheckID} data-status={c.Status}>
          <div class="check-head">
            <StatusBadge status={c.Status} />
            <strong>{c.Name}</strong>
            <span class="muted">
              {c.CheckID}
              {c.Type ? ` · ${c.Type}` : ''}
              {c.ServiceID ? ' · service check' : ' · node check'}
            </span>
          </div>
          {c.Notes && <p class="check-notes">Notes: {c.Notes}</p>}
          {c.Output && <pre class="check-output">{c.Output}</pre>}
        </li>
      ))}
    </ul>
  );
}
