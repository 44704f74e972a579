import type { HealthCheck } from '../api/types.js';

/** "In maintenance", with the reason given, when a maintenance check is there; nothing otherwise. */
export function MaintenanceNote(props: { check: HealthCheck | undefined }) {
  const c = props.check;
  if (!c) return null;
  return (
    <p class="maintenance" role="status">
      In maintenance{c.Notes ? `: ${c.Notes}` : ''}
    </p>
  );
}
