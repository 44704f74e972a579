import { useState } from 'preact/hooks';
import { encodePath, request } from '../api/request.js';
import { navigate } from '../router.js';
import { KvCrumbs } from './kv-crumbs.js';
import type { ValueMode } from './validate.js';
import { ValueEditor } from './value-editor.js';

/** A new key (or, with a name ending in /, a folder) under `prefix`; never replaces one that exists (CAS 0). */
export function KvCreatePage(props: { dc: string; prefix: string }) {
  const { dc, prefix } = props;
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [mode, setMode] = useState<ValueMode>('text');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const folder = name.endsWith('/');
  const key = prefix + name;

  const create = async () => {
    setFailure(null);
    if (name === '' || name.startsWith('/')) {
      setFailure('Give the key a name (not starting with /).');
      return;
    }
    try {
      const { body } = await request<boolean>(`kv/${encodePath(key)}`, { method: 'PUT', query: { dc, cas: 0 }, body: folder ? '' : text });
      if (body !== true) {
        setFailure(`${key} already exists; open it to edit it.`);
        return;
      }
      navigate(folder ? { page: 'kv', dc, prefix: key } : { page: 'kv-edit', dc, key }, { replace: true });
    } catch (err) {
      setFailure(`Not created: ${(err as Error).message}`);
    }
  };

  return (
    <section aria-labelledby="title">
      <KvCrumbs dc={dc} path={prefix} />
      <h1 id="title">New key</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem || folder) void create();
        }}
      >
        <label class="value">
          <span>Key or folder name (end it with / for a folder)</span>
          <span class="key-input">
            {prefix && <code>{prefix}</code>}
            <input type="text" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </span>
        </label>
        {!folder && <ValueEditor text={text} mode={mode} onText={setText} onMode={setMode} onProblem={setProblem} problem={problem} />}
        <div class="toolbar">
          <button type="submit" class="primary" disabled={problem !== null && !folder}>
            Create
          </button>
        </div>
        {failure && (
          <p class="problem" role="alert">
            {failure}
          </p>
        )}
      </form>
    </section>
  );
}
