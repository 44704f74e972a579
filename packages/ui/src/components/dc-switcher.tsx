import { useWatch } from '../api/use-watch.js';
import { navigate, type Route } from '../router.js';

type Section = 'services' | 'nodes' | 'kv' | 'sessions';

/** The datacenter shown; a menu to switch when the agent knows of several. */
export function DcSwitcher(props: { dc: string; section: Section }) {
  const { data } = useWatch<string[]>('catalog/datacenters');
  const dcs = data && data.length > 0 ? data : [props.dc];
  if (dcs.length < 2) return <span class="dc" aria-label="datacenter">{props.dc}</span>;
  const go = (dc: string) => {
    const to: Route = props.section === 'kv' ? { page: 'kv', dc, prefix: '' } : { page: props.section, dc };
    navigate(to);
  };
  return (
    <label class="dc">
      <span class="visually-hidden">Datacenter</span>
      <select value={props.dc} onChange={(e) => go((e.target as HTMLSelectElement).value)}>
        {(dcs.includes(props.dc) ? dcs : [props.dc, ...dcs]).map((dc) => (
          <option key={dc} value={dc}>
            {dc}
          </option>
        ))}
      </select>
    </label>
  );
}
