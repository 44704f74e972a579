import { useState } from 'preact/hooks';
import { getToken, setToken } from '../api/token.js';

/** The ACL token sent with every request, kept in this browser only. */
export function SettingsPage() {
  const [token, setValue] = useState(getToken());
  const [saved, setSaved] = useState(false);
  return (
    <section aria-labelledby="title">
      <h1 id="title">Settings</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setToken(token.trim());
          setSaved(true);
        }}
      >
        <label class="value">
          <span>ACL token (sent as X-Consul-Token; stored in this browser's local storage)</span>
          <input type="password" autocomplete="off" value={token} onInput={(e) => (setValue((e.target as HTMLInputElement).value), setSaved(false))} />
        </label>
        <div class="toolbar">
          <button type="submit" class="primary">
            Save token
          </button>
          <button
            type="button"
            onClick={() => {
              setValue('');
              setToken('');
              setSaved(true);
            }}
          >
            Forget token
          </button>
        </div>
        {saved && (
          <p class="saved" role="status">
            Saved. Pages opened from now on use it.
          </p>
        )}
      </form>
    </section>
  );
}
