import { useState } from 'preact/hooks';
import { encodePath, request } from '../api/request.js';
import { useWatch } from '../api/use-watch.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { Failure } from '../components/failure.js';
import { Link } from '../components/link.js';
import { navigate } from '../router.js';
import { KvCrumbs } from './kv-crumbs.js';

/** The keys and folders directly under `prefix` (live), with create, delete and delete-folder. */
export function KvFolderPage(props: { dc: string; prefix: string }) {
  const { dc, prefix } = props;
  const keys = useWatch<string[]>(`kv/${encodePath(prefix)}`, { dc, keys: true, separator: '/' });
  const [failure, setFailure] = useState<string | null>(null);
  const missing = keys.error?.status === 404;
  const list = missing ? [] : (keys.data ?? []).filter((k) => k !== prefix);

  /** Deletes a key, or a folder with all under it; false (and the reason shown) when that failed. */
  const remove = async (key: string): Promise<boolean> => {
    setFailure(null);
    try {
      await request(`kv/${encodePath(key)}`, { method: 'DELETE', query: { dc, recurse: key.endsWith('/') } });
      return true;
    } catch (err) {
      setFailure(`Could not delete ${key}: ${(err as Error).message}`);
      return false;
    }
  };
  const title = prefix === '' ? 'Key/Value' : prefix.split('/').at(-2)!;
  return (
    <section aria-labelledby="title">
      {prefix !== '' && <KvCrumbs dc={dc} path={prefix} />}
      <h1 id="title">{title}</h1>
      <div class="toolbar">
        <Link class="button" to={{ page: 'kv-create', dc, prefix }}>
          Create
        </Link>
        {prefix !== '' && (
          <ConfirmButton
            label="Delete folder"
            confirmLabel={`Delete ${prefix} and everything in it`}
            onConfirm={() => void remove(prefix).then((ok) => ok && navigate({ page: 'kv', dc, prefix: prefix.replace(/[^/]*\/$/, '') }))}
          />
        )}
      </div>
      {failure && (
        <p class="problem" role="alert">
          {failure}
        </p>
      )}
      {keys.error && !missing && <Failure error={keys.error} what="the keys" />}
      {keys.loading && <p class="muted">Loading…</p>}
      {!keys.loading && list.length === 0 && !(keys.error && !missing) && <p class="muted">No keys here.</p>}
      {list.length > 0 && (
        <table class="list" aria-label="keys">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((key) => {
              const name = key.slice(prefix.length);
              const folder = key.endsWith('/');
              return (
                <tr key={key} data-key={key}>
                  <th scope="row">
                    {folder ? (
                      <Link to={{ page: 'kv', dc, prefix: key }}>
                        <span aria-hidden="true">📁 </span>
                        {name}
                      </Link>
                    ) : (
                      <Link to={{ page: 'kv-edit', dc, key }}>{name}</Link>
                    )}
                  </th>
                  <td class="actions">
                    <ConfirmButton label={`Delete ${name}`} confirmLabel={`Really delete ${name}`} onConfirm={() => void remove(key)} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
