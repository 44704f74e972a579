/**
 * What makes a KV key one the KV endpoint could not hold as given. `/v1/kv/<key>` is a URL path:
 * Consul (and Praetor) answer 400 to one holding an unprintable character and redirect one with
 * an empty, `.` or `..` segment to its cleaned form, so such a key never reaches the store that
 * way. `/v1/txn` carries keys in JSON, where nothing cleans them; it refuses the same keys.
 */

/** Anything Go's unicode.IsPrint refuses: all but letters, marks, numbers, punctuation, symbols and the ASCII space. */
const UNPRINTABLE = /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

/** Why `text` (a URL path or a key) holds a character that cannot go in a request path, or undefined. */
export function unprintableProblem(text: string): string | undefined {
  const m = UNPRINTABLE.exec(text);
  if (!m) return undefined;
  const ch = m[0];
  if (ch === '\u0000') return 'contains a NUL byte (%00)';
  const code = ch.codePointAt(0)!;
  const shown = code >= 0xd800 && code <= 0xdfff ? `U+${code.toString(16).toUpperCase()}` : encodeURIComponent(ch);
  return `contains an unprintable character (${shown})`;
}

/** Why the KV endpoint would refuse or redirect `key`, or undefined when it takes it as given. */
export function kvKeyProblem(key: string): string | undefined {
  const bad = unprintableProblem(key);
  if (bad) return bad;
  if (key.startsWith('/')) return 'must not start with "/"';
  const segments = key.split('/');
  // A trailing "/" (a folder key such as "app/") is fine; an empty segment elsewhere is "//".
  if (segments.slice(0, -1).some((s) => s === '')) return 'contains an empty path segment ("//")';
  if (segments.some((s) => s === '.' || s === '..')) return 'contains a "." or ".." path segment';
  return undefined;
}
