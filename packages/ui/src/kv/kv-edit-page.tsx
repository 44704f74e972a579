import { useEffect, useState } from 'preact/hooks';
import { encodePath, request } from '../api/request.js';
import type { KvEntry } from '../api/types.js';
import { useWatch } from '../api/use-watch.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { Failure } from '../components/failure.js';
import { Link } from '../components/link.js';
import { navigate } from '../router.js';
import { KvCrumbs } from './kv-crumbs.js';
import { decodeValue } from './value.js';
import { guessMode, type ValueMode } from './validate.js';
import { ValueEditor } from './value-editor.js';

type Outcome = { kind: 'saved' } | { kind: 'conflict'; action: 'save' | 'delete' } | { kind: 'failed'; message: string } | null;

/**
 * One key: its value in an editor, saved with check-and-set on the ModifyIndex it was read at,
 * so that a second editor never overwrites the first silently: when the key changed since,
 * the save is refused and the page says so, offering the newer value or an overwrite. The key
 * is followed live, so a change made elsewhere shows while one edits.
 */
export function KvEditPage(props: { dc: string; keyName: string }) {
  const { dc, keyName: key } = props;
  const path = `kv/${encodePath(key)}`;
  const live = useWatch<KvEntry[]>(path, { dc });
  const latest = live.data?.[0];
  /** The version the text was loaded from: the CAS index of the next save. */
  const [base, setBase] = useState<KvEntry | null>(null);
  const [text, setText] = useState('');
  const [mode, setMode] = useState<ValueMode>('text');
  const [problem, setProblem] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);

  const load = (entry: KvEntry) => {
    const v = decodeValue(entry.Value);
    setBase(entry);
    setText('text' in v ? v.text : v.binary);
    setMode('text' in v ? guessMode(v.text) : 'text');
  };
  useEffect(() => {
    if (latest && !base) load(latest);
  }, [latest, base]);

  const decoded = base ? decodeValue(base.Value) : null;
  const binary = decoded !== null && 'binary' in decoded;
  const deleted = live.error?.status === 404;
  const changedElsewhere = base !== null && (deleted || (latest !== undefined && latest.ModifyIndex !== base.ModifyIndex));

  const save = async (cas: number) => {
    setBusy(true);
    setOutcome(null);
    try {
      const query = { dc, cas, flags: base?.Flags || undefined };
      const { body } = await request<boolean>(path, { method: 'PUT', query, body: text });
      if (body !== true) {
        setOutcome({ kind: 'conflict', action: 'save' });
        return;
      }
      const { body: now } = await request<KvEntry[]>(path, { query: { dc } });
      setBase(now[0]);
      setOutcome({ kind: 'saved' });
    } catch (err) {
      setOutcome({ kind: 'failed', message: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setOutcome(null);
    try {
      const { body } = await request<boolean>(path, { method: 'DELETE', query: { dc, cas: base!.ModifyIndex } });
      if (body === true) navigate({ page: 'kv', dc, prefix: key.replace(/[^/]*$/, '') });
      else setOutcome({ kind: 'conflict', action: 'delete' });
    } catch (err) {
      setOutcome({ kind: 'failed', message: (err as Error).message });
    }
  };

  return (
    <section aria-labelledby="title">
      <KvCrumbs dc={dc} path={key} />
      <h1 id="title">{key.split('/').at(-1)}</h1>
      {live.loading && <p class="muted">Loading…</p>}
      {live.error && !deleted && <Failure error={live.error} what="the key" />}
      {deleted && !base && (
        <p class="muted">
          There is no key {key}. <Link to={{ page: 'kv-create', dc, prefix: key.replace(/[^/]*$/, '') }}>Create a key</Link>
        </p>
      )}
      {base && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!problem && !busy) void save(base.ModifyIndex);
          }}
        >
          <p class="muted">
            Key <code>{key}</code> · modify index {base.ModifyIndex}
            {base.Flags ? ` · flags ${base.Flags}` : ''}
            {latest?.Session && (
              <>
                {' '}
                · locked by session <Link to={{ page: 'sessions', dc }}>{latest.Session}</Link>
              </>
            )}
          </p>
          {changedElsewhere && outcome?.kind !== 'conflict' && (
            <p class="notice" role="status">
              {deleted ? 'This key was deleted elsewhere since you opened it.' : 'This key was changed elsewhere since you opened it.'} Saving will be refused unless you overwrite.
            </p>
          )}
          {outcome?.kind === 'conflict' && (
            <div class="conflict" role="alert">
              <p>
                <strong>Conflict:</strong> {key} was {deleted ? 'deleted' : 'changed'} by someone else since you opened it, so your {outcome.action === 'save' ? 'edit was not saved' : 'delete was not done'}.
              </p>
              {latest && (
                <button type="button" onClick={() => {
                    load(latest);
                    setOutcome(null);
                  }}>
                  Load the latest value (drop my edit)
                </button>
              )}
              {outcome.action === 'save' && (
                <button type="button" class="danger" onClick={() => void save(latest ? latest.ModifyIndex : 0)}>
                  Overwrite with my edit
                </button>
              )}
            </div>
          )}
          {binary ? (
            <p class="muted">This value is binary ({(decoded as { size: number }).size} bytes); shown as base64 and not editable here.</p>
          ) : null}
          <ValueEditor text={text} mode={mode} onText={setText} onMode={setMode} onProblem={setProblem} problem={problem} />
          <div class="toolbar">
            <button type="submit" class="primary" disabled={busy || problem !== null || binary}>
              Save
            </button>
            <ConfirmButton label="Delete" confirmLabel={`Delete ${key}`} onConfirm={() => void remove()} />
          </div>
          {outcome?.kind === 'saved' && (
            <p class="saved" role="status">
              Saved.
            </p>
          )}
          {outcome?.kind === 'failed' && (
            <p class="problem" role="alert">
              Not saved: {outcome.message}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
