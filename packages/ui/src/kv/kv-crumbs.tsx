import { Link } from '../components/link.js';

/** Key/Value / a / b / : each folder above `path` as a link. */
export function KvCrumbs(props: { dc: string; path: string }) {
  const parts = props.path.split('/').slice(0, -1);
  return (
    <nav class="crumbs" aria-label="Folders">
      <Link to={{ page: 'kv', dc: props.dc, prefix: '' }}>Key/Value</Link> /{' '}
      {parts.map((p, i) => (
        <span key={i}>
          <Link to={{ page: 'kv', dc: props.dc, prefix: `${parts.slice(0, i + 1).join('/')}/` }}>{p}</Link> /{' '}
        </span>
      ))}
    </nav>
  );
}
