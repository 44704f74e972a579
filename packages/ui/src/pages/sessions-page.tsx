import { useState } from 'preact/hooks';
import { encodePath, request } from '../api/request.js';
import type { KvEntry, Session } from '../api/types.js';
import { useWatch } from '../api/use-watch.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { Failure } from '../components/failure.js';
import { Link } from '../components/link.js';

/**
 * Every session (live), the locks each holds (KV keys whose Session is it), and Destroy, which
 * releases those locks as Consul does (behavior release or delete).
 */
export function SessionsPage(props: { dc: string }) {
  const { dc } = props;
  const sessions = useWatch<Session[]>('session/list', { dc });
  // Values are read too (the API has no keys-with-sessions listing); fine for a browser page.
  const kv = useWatch<KvEntry[]>('kv/', { dc, recurse: true });
  const [failure, setFailure] = useState<string | null>(null);
  const locks = new Map<string, string[]>();
  for (const e of kv.error?.status === 404 ? [] : (kv.data ?? [])) if (e.Session) locks.set(e.Session, [...(locks.get(e.Session) ?? []), e.Key]);

  const destroy = async (id: string) => {
    setFailure(null);
    try {
      await request(`session/destroy/${encodePath(id)}`, { method: 'PUT', query: { dc } });
    } catch (err) {
      setFailure(`Could not destroy ${id}: ${(err as Error).message}`);
    }
  };
  const list = sessions.data ?? [];
  return (
    <section aria-labelledby="title">
      <h1 id="title">Sessions</h1>
      {failure && (
        <p class="problem" role="alert">
          {failure}
        </p>
      )}
      {sessions.error && !sessions.data && <Failure error={sessions.error} what="the sessions" />}
      {sessions.loading && <p class="muted">Loading…</p>}
      {!sessions.loading && list.length === 0 && <p class="muted">No sessions.</p>}
      {list.length > 0 && (
        <table class="list" aria-label="sessions">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Node</th>
              <th scope="col">Behavior</th>
              <th scope="col">TTL</th>
              <th scope="col">Locks held</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.ID} data-session={s.ID}>
                <th scope="row">
                  {s.Name && <strong>{s.Name}</strong>} <code>{s.ID}</code>
                </th>
                <td>
                  <Link to={{ page: 'node', dc, name: s.Node }}>{s.Node}</Link>
                </td>
                <td>{s.Behavior}</td>
                <td>{s.TTL || '—'}</td>
                <td class="locks">
                  {(locks.get(s.ID) ?? []).map((key) => (
                    <div key={key}>
                      <Link to={{ page: 'kv-edit', dc, key }}>{key}</Link>
                    </div>
                  ))}
                  {!locks.has(s.ID) && <span class="muted">none</span>}
                </td>
                <td class="actions">
                  <ConfirmButton label={`Destroy ${s.Name || s.ID}`} confirmLabel="Really destroy" onConfirm={() => void destroy(s.ID)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
