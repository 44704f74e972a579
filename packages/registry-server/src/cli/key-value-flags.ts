import { UsageError } from './command-flags.js';

/**
 * The values of a repeatable `key=value` flag (-meta, -node-meta) as a map; a value without
 * `=` is a usage error, with Consul's wording. Later repeats of a key win.
 */
export function keyValues(flag: string, values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i < 0) throw new UsageError(`invalid value ${JSON.stringify(v)} for flag -${flag}: Missing "=" value in argument: ${v}`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

/** `?node-meta=key:value` parameters from -node-meta key=value flags. */
export function nodeMetaQuery(values: readonly string[]): string[] {
  return Object.entries(keyValues('node-meta', values)).map(([k, v]) => `${k}:${v}`);
}
