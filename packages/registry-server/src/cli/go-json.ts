import crypto from 'node:crypto';

/**
 * JSON as Consul's Go CLI reads and writes it. uint64 values (KV flags) above 2^53 stay exact:
 * parsed as bigint, written back as bare numbers. Output escapes `<`, `>`, `&` and the JS line
 * separators even inside strings, as Go's encoder does, so it compares byte for byte.
 */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** JSON.parse, with integers too large for a double kept exact as bigint. */
export function parseJson(text: string): unknown {
  const mark = `\u0000${crypto.randomUUID()}:`;
  let marked = false;
  const safe = text.replace(TOKEN, (tok) => {
    if (tok.startsWith('"') || !/^-?\d+$/.test(tok) || Number.isSafeInteger(Number(tok))) return tok;
    marked = true;
    return JSON.stringify(mark + tok);
  });
  if (!marked) return JSON.parse(text);
  return JSON.parse(safe, (_k, v: unknown) => (typeof v === 'string' && v.startsWith(mark) ? BigInt(v.slice(mark.length)) : v));
}

/** JSON text of `value`; `indent` '' is compact. bigint values are written as bare numbers. */
export function goJson(value: unknown, indent: string): string {
  const mark = `\u0000${crypto.randomUUID()}:`;
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? mark + v.toString() : v), indent || undefined);
  return text
    .replace(new RegExp(`"${JSON.stringify(mark).slice(1, -1).replace(/\\/g, '\\\\')}(-?\\d+)"`, 'g'), '$1')
    .replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
