import { BadRequestError } from '../errors.js';
import { formatDuration, MAX_DURATION_MS, parseDuration } from '../internal/duration.js';
import { jsonTooDeep } from '../internal/json-depth.js';

/**
 * Schema-driven decoding of request bodies and config files. Keys match case-insensitively and
 * with or without `_`/`-` (so `tagged_addresses`, `taggedAddresses` and `TaggedAddresses` are
 * one field); output always uses the canonical PascalCase name. Unknown keys are an error, as in
 * Consul's strict decoder; maps (Meta, Header, ...) keep their keys as sent.
 */
export type Schema =
  | 'string'
  | 'int'
  | 'uint'
  | 'bool'
  | 'duration'
  | 'strings'
  | 'strmap'
  | 'any'
  | { object: Fields; aliases?: Record<string, string>; ignoreUnknown?: boolean }
  | { array: Schema }
  | { map: Schema };

export type Fields = Record<string, Schema>;

export function object(fields: Fields, aliases: Record<string, string> = {}): Schema {
  return { object: fields, aliases };
}

/** An object whose unknown keys are skipped, for the few bodies Consul decodes leniently (session create). */
export function lenientObject(fields: Fields): Schema {
  return { object: fields, ignoreUnknown: true };
}

const fold = (k: string) => k.toLowerCase().replace(/[_-]/g, '');

const lookupCache = new WeakMap<object, Map<string, string>>();

function lookupFor(s: { object: Fields; aliases?: Record<string, string> }): Map<string, string> {
  let m = lookupCache.get(s);
  if (!m) {
    m = new Map();
    for (const k of Object.keys(s.object)) m.set(fold(k), k);
    for (const [alias, target] of Object.entries(s.aliases ?? {})) m.set(fold(alias), target);
    lookupCache.set(s, m);
  }
  return m;
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

export class DecodeError extends BadRequestError {
  constructor(path: string, what: string) {
    super(`Request decode failed: ${path ? `field "${path}": ` : ''}${what}`);
  }
}

/** Decodes `value` by `schema`; `path` names the field in error messages. null means absent. */
export function decode(value: unknown, schema: Schema, path = ''): unknown {
  if (value === null || value === undefined) return undefined;
  if (schema === 'any') return value;
  if (typeof schema === 'string') return scalar(value, schema, path);
  if ('array' in schema) {
    if (!Array.isArray(value)) throw new DecodeError(path, `expected an array, got ${kind(value)}`);
    return value.map((v, i) => decode(v, schema.array, `${path}[${i}]`));
  }
  if ('map' in schema) {
    if (typeof value !== 'object' || Array.isArray(value)) throw new DecodeError(path, `expected an object, got ${kind(value)}`);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = decode(v, schema.map, `${path}.${k}`);
    return out;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw new DecodeError(path, `expected an object, got ${kind(value)}`);
  const lookup = lookupFor(schema);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const name = lookup.get(fold(k));
    if (!name && schema.ignoreUnknown) continue;
    if (!name) throw new DecodeError('', `json: unknown field ${JSON.stringify(k)}${path ? ` in ${path}` : ''}`);
    const decoded = decode(v, schema.object[name], path ? `${path}.${name}` : name);
    if (decoded !== undefined) out[name] = decoded;
  }
  return out;
}

function scalar(value: unknown, schema: string, path: string): unknown {
  switch (schema) {
    case 'string':
      if (typeof value !== 'string') throw new DecodeError(path, `expected a string, got ${kind(value)}`);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw new DecodeError(path, `expected true or false, got ${kind(value)}`);
      return value;
    case 'int':
    case 'uint':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw new DecodeError(path, `expected an integer, got ${typeof value === 'number' ? String(value) : kind(value)}`);
      }
      if (schema === 'uint' && value < 0) throw new DecodeError(path, `expected a non-negative integer, got ${value}`);
      return value;
    case 'duration':
      // Strings in Go syntax; numbers are nanoseconds, as Go's decoder takes them.
      if (typeof value === 'number') {
        // Go's time.Duration is an int64 of nanoseconds: about 292 years either way.
        if (!Number.isFinite(value) || Math.abs(value) / 1e6 > MAX_DURATION_MS) throw new DecodeError(path, `duration ${value}ns out of range`);
        return formatDuration(value / 1e6);
      }
      if (typeof value !== 'string') throw new DecodeError(path, `expected a duration such as "10s", got ${kind(value)}`);
      try {
        parseDuration(value);
      } catch (err) {
        throw new DecodeError(path, (err as Error).message);
      }
      return value;
    case 'strings':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        throw new DecodeError(path, `expected an array of strings, got ${kind(value)}`);
      }
      return value;
    case 'strmap':
      if (typeof value !== 'object' || Array.isArray(value) || Object.values(value as object).some((v) => typeof v !== 'string')) {
        throw new DecodeError(path, `expected an object of string values`);
      }
      return value;
    default:
      throw new Error(`unknown schema ${schema}`);
  }
}

/** Parses a JSON body, with Consul's messages for an empty or malformed one. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw new BadRequestError('Request decode failed: EOF');
  const text = body.toString('utf8');
  const tooDeep = jsonTooDeep(text);
  if (tooDeep) throw new BadRequestError(`Request decode failed: ${tooDeep}`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`Request decode failed: ${(err as Error).message}`);
  }
}
