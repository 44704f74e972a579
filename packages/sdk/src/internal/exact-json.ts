/**
 * The raw text of every number that follows the object key `field` in a JSON document, in
 * document order. JSON.parse turns integers past 2^53 into the nearest double (KV Flags are a
 * uint64), so a caller that needs them exact takes them from here. Strings are skipped whole,
 * so a key or value that merely contains `"Flags":` is never mistaken for the field.
 */
export function rawNumbersOf(text: string, field: string): string[] {
  const needle = JSON.stringify(field);
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    const token = text.slice(i, j + 1);
    i = j + 1;
    if (token !== needle) continue;
    // A string followed by ':' is an object key; a value is followed by ',', '}' or ']'.
    const m = /^\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 80));
    if (m) out.push(m[1]);
  }
  return out;
}

/** Parses an array of objects that each carry an integer `field`, with that field as a bigint. */
export function parseWithExactField<T extends object>(text: string, field: string): Array<T & Record<string, bigint>> {
  const parsed = JSON.parse(text) as Array<Record<string, unknown>>;
  const raw = rawNumbersOf(text, field);
  if (raw.length !== parsed.filter((o) => o && typeof o === 'object' && field in o).length) {
    throw new Error(`cannot read ${field} exactly from the answer`);
  }
  let k = 0;
  return parsed.map((o) => (o && typeof o === 'object' && field in o ? { ...o, [field]: BigInt(raw[k++]) } : o)) as Array<T & Record<string, bigint>>;
}
