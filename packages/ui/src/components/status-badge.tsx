import type { Status } from '../api/types.js';
import type { StatusCounts } from '../health.js';

const SYMBOL: Record<Status, string> = { passing: '✔', warning: '!', critical: '✖' };

/** One status, in words and colour (the word is there for screen readers and colour blindness). */
export function StatusBadge(props: { status: Status }) {
  return (
    <span class={`badge badge-${props.status}`} data-status={props.status}>
      <span aria-hidden="true">{SYMBOL[props.status]} </span>
      {props.status}
    </span>
  );
}

/** How many are passing, warning and critical, leaving out zeros. */
export function StatusCountsBadges(props: { counts: StatusCounts; noun: string }) {
  const shown = (['passing', 'warning', 'critical'] as const).filter((s) => props.counts[s] > 0);
  if (shown.length === 0) return <span class="muted">no {props.noun}s</span>;
  return (
    <span class="counts">
      {shown.map((s) => (
        <span key={s} class={`badge badge-${s}`} data-status={s} title={`${props.counts[s]} ${s}`}>
          <span aria-hidden="true">{SYMBOL[s]} </span>
          {props.counts[s]} {s}
        </span>
      ))}
    </span>
  );
}
