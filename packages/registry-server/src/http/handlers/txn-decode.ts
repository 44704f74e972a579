import { MAX_TXN_OPS, type TxnCheckOp, type TxnKvOp, type TxnNodeOp, type TxnOp, type TxnServiceOp } from '../../commands/txn-ops.js';
import { BadRequestError, TooLargeError } from '../../errors.js';
import { formatDuration, parseDuration } from '../../internal/duration.js';
import { jsonTooDeep } from '../../internal/json-depth.js';
import { TAGGED_ADDRESSES_SCHEMA, WEIGHTS_SCHEMA } from '../../agent/service-definition.js';
import type { CheckDefinition } from '../../structs/check.js';
import { DEFAULT_WEIGHTS } from '../../structs/service.js';
import { decode, DecodeError, object, type Schema } from '../decode.js';

/** The body of PUT /v1/txn as Consul 1.8's API types spell it (field names case-insensitive). */
const KV_OP = object({ Verb: 'string', Key: 'string', Value: 'any', Flags: 'uint', Index: 'uint', Session: 'string', Namespace: 'string' });

const NODE = object({
  ID: 'string',
  Node: 'string',
  Address: 'string',
  Datacenter: 'string',
  TaggedAddresses: 'strmap',
  Meta: 'strmap',
  CreateIndex: 'uint',
  ModifyIndex: 'uint',
});

const SERVICE = object({
  Kind: 'string',
  ID: 'string',
  Service: 'string',
  Tags: 'strings',
  Meta: 'strmap',
  Port: 'int',
  Address: 'string',
  TaggedAddresses: TAGGED_ADDRESSES_SCHEMA,
  Weights: WEIGHTS_SCHEMA,
  EnableTagOverride: 'bool',
  CreateIndex: 'uint',
  ModifyIndex: 'uint',
  ContentHash: 'string',
  Proxy: 'any',
  Connect: 'any',
  Namespace: 'string',
});

const CHECK = object({
  Node: 'string',
  CheckID: 'string',
  Name: 'string',
  Status: 'string',
  Notes: 'string',
  Output: 'string',
  ServiceID: 'string',
  ServiceName: 'string',
  ServiceTags: 'strings',
  Type: 'string',
  Namespace: 'string',
  // Decoded leniently, as Consul does: the fields below are read and anything else is ignored.
  Definition: 'any',
  CreateIndex: 'uint',
  ModifyIndex: 'uint',
});

/** The check definition fields a transaction carries into the catalog. */
const DEFINITION_FIELDS: Record<string, Schema> = {
  HTTP: 'string',
  Header: { map: 'strings' },
  Method: 'string',
  Body: 'string',
  TLSSkipVerify: 'bool',
  TCP: 'string',
  Interval: 'duration',
  Timeout: 'duration',
  DeregisterCriticalServiceAfter: 'duration',
  IntervalDuration: 'duration',
  TimeoutDuration: 'duration',
  DeregisterCriticalServiceAfterDuration: 'duration',
};
const DEFINITION = object(DEFINITION_FIELDS);
const fold = (k: string) => k.toLowerCase().replace(/[_-]/g, '');
const DEFINITION_KEYS = new Set(Object.keys(DEFINITION_FIELDS).map(fold));

const OPS: Schema = {
  array: object({
    KV: KV_OP,
    Node: object({ Verb: 'string', Node: NODE }),
    Service: object({ Verb: 'string', Node: 'string', Service: SERVICE }),
    Check: object({ Verb: 'string', Check: CHECK }),
  }),
};

type D = Record<string, unknown>;

/** The 400 Consul answers for a body it cannot decode. */
const unparsable = (what: string) => new BadRequestError(`Failed to parse body: ${what}`);

/**
 * Base64 as Go's standard decoder takes it: padding required, CR/LF skipped, and the error
 * names the offset of the first bad byte.
 */
export function decodeBase64(s: string): Buffer {
  const alphabet = /[A-Za-z0-9+/]/;
  const skip = (i: number) => {
    while (i < s.length && (s[i] === '\n' || s[i] === '\r')) i++;
    return i;
  };
  const bad = (at: number) => unparsable(`illegal base64 data at input byte ${at}`);
  let i = 0;
  let j = 0;
  for (;;) {
    i = skip(i);
    if (i === s.length) {
      if (j !== 0) throw bad(i - j);
      break;
    }
    const c = s[i++];
    if (alphabet.test(c)) {
      j = (j + 1) % 4;
      continue;
    }
    if (c !== '=' || j < 2) throw bad(i - 1);
    if (j === 2) {
      i = skip(i);
      if (i === s.length) throw bad(s.length);
      if (s[i] !== '=') throw bad(i - 1);
      i++;
    }
    i = skip(i);
    if (i < s.length) throw bad(i);
    break;
  }
  return Buffer.from(s.replace(/[\r\n]/g, ''), 'base64');
}

function kvOp(d: D, index: number): TxnKvOp {
  let value: Buffer | null = null;
  if (d.Value !== undefined) {
    if (typeof d.Value !== 'string') throw unparsable(`field "[${index}].KV.Value": expected a base64 string, got ${typeof d.Value}`);
    const bytes = decodeBase64(d.Value);
    if (bytes.length > 0) value = bytes;
  }
  return {
    Verb: (d.Verb as string) ?? '',
    Key: (d.Key as string) ?? '',
    Value: value,
    Flags: (d.Flags as number) ?? 0,
    Index: (d.Index as number) ?? 0,
    Session: (d.Session as string) ?? '',
  };
}

function nodeOp(d: D, datacenter: string): TxnNodeOp {
  const n = (d.Node as D | undefined) ?? {};
  return {
    Verb: (d.Verb as string) ?? '',
    Node: {
      ID: (n.ID as string) ?? '',
      Node: (n.Node as string) ?? '',
      Address: (n.Address as string) ?? '',
      Datacenter: (n.Datacenter as string) || datacenter,
      TaggedAddresses: (n.TaggedAddresses as Record<string, string>) ?? {},
      Meta: (n.Meta as Record<string, string>) ?? {},
      ModifyIndex: (n.ModifyIndex as number) ?? 0,
    },
  };
}

/** As in Consul 1.8, a service's TaggedAddresses, Kind, Proxy and Connect are not carried over. */
function serviceOp(d: D): TxnServiceOp {
  const s = (d.Service as D | undefined) ?? {};
  const w = s.Weights as { Passing?: number; Warning?: number } | undefined;
  const weights = w && (w.Passing || w.Warning) ? { Passing: w.Passing ?? 0, Warning: w.Warning ?? 0 } : { ...DEFAULT_WEIGHTS };
  return {
    Verb: (d.Verb as string) ?? '',
    Node: (d.Node as string) ?? '',
    Service: {
      ID: (s.ID as string) ?? '',
      Service: (s.Service as string) ?? '',
      Tags: (s.Tags as string[]) ?? [],
      Address: (s.Address as string) ?? '',
      Meta: (s.Meta as Record<string, string>) ?? {},
      Port: (s.Port as number) ?? 0,
      Weights: weights,
      EnableTagOverride: (s.EnableTagOverride as boolean) ?? false,
      ModifyIndex: (s.ModifyIndex as number) ?? 0,
    },
  };
}

/** The HTTP/TCP fields and durations (Go-formatted) of a check definition; empty ones are left out. */
function definition(raw: unknown, path: string): CheckDefinition {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new DecodeError(path, 'expected an object');
  const known = Object.fromEntries(Object.entries(raw).filter(([k]) => DEFINITION_KEYS.has(fold(k))));
  const d = decode(known, DEFINITION, path) as D;
  const out: D = {};
  for (const f of ['Interval', 'Timeout', 'DeregisterCriticalServiceAfter']) {
    const text = (d[f] ?? d[`${f}Duration`]) as string | undefined;
    const ms = text === undefined ? 0 : parseDuration(text);
    if (ms !== 0) out[f] = formatDuration(ms);
  }
  for (const f of ['HTTP', 'TLSSkipVerify', 'Header', 'Method', 'Body', 'TCP']) if (d[f]) out[f] = d[f];
  return out as CheckDefinition;
}

function checkOp(d: D, index: number): TxnCheckOp {
  const c = (d.Check as D | undefined) ?? {};
  return {
    Verb: (d.Verb as string) ?? '',
    Check: {
      Node: (c.Node as string) ?? '',
      CheckID: (c.CheckID as string) ?? '',
      Name: (c.Name as string) ?? '',
      Status: (c.Status as string) ?? '',
      Notes: (c.Notes as string) ?? '',
      Output: (c.Output as string) ?? '',
      ServiceID: (c.ServiceID as string) ?? '',
      Definition: definition(c.Definition, `[${index}].Check.Check.Definition`),
      ModifyIndex: (c.ModifyIndex as number) ?? 0,
    },
  };
}

export interface TxnLimits {
  datacenter: string;
  kvMaxValueSize: number;
}

/**
 * Decodes a /v1/txn body into operations: a 400 for what cannot be decoded, a 413 for too many
 * operations or a value over kv_max_value_size. As in Consul, an element naming no operation is
 * skipped (and so does not count for OpIndex), and one naming several is taken as the first of
 * KV, Node, Service, Check.
 */
export function decodeTxnOps(body: Buffer, limits: TxnLimits): TxnOp[] {
  if (body.length === 0) throw unparsable('EOF');
  let parsed: unknown;
  const text = body.toString('utf8');
  const tooDeep = jsonTooDeep(text);
  if (tooDeep) throw unparsable(tooDeep);
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw unparsable((err as Error).message);
  }
  let ops: TxnOp[];
  let count: number;
  try {
    const elements = (decode(parsed, OPS) as Array<D | undefined> | undefined) ?? [];
    count = elements.length;
    ops = elements.flatMap((e, i): TxnOp[] => {
      if (e?.KV) return [{ KV: kvOp(e.KV as D, i) }];
      if (e?.Node) return [{ Node: nodeOp(e.Node as D, limits.datacenter) }];
      if (e?.Service) return [{ Service: serviceOp(e.Service as D) }];
      if (e?.Check) return [{ Check: checkOp(e.Check as D, i) }];
      return [];
    });
  } catch (err) {
    if (err instanceof DecodeError) throw unparsable(err.message.replace(/^Request decode failed: /, ''));
    throw err;
  }
  if (count > MAX_TXN_OPS) throw new TooLargeError(`Transaction contains too many operations (${count} > ${MAX_TXN_OPS})`);
  for (const op of ops) {
    if (!('KV' in op)) continue;
    const size = op.KV.Value?.length ?? 0;
    if (size > limits.kvMaxValueSize) throw new TooLargeError(`Value for key ${JSON.stringify(op.KV.Key)} is too large (${size} > ${limits.kvMaxValueSize} bytes)`);
  }
  return ops;
}
