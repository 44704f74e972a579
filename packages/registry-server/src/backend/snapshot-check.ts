import { ownedKey } from '../structs/change.js';
import { CHECK_STATUSES } from '../structs/check.js';
import type { Snapshot } from '../state/snapshot.js';

type Rule = 'string' | 'int' | 'signed' | 'uint64' | 'bool' | 'strings' | 'strmap' | 'object' | 'bytes?' | 'string?' | 'checkRefs';
type Shape = Record<string, Rule>;

const INDEXED: Shape = { CreateIndex: 'int', ModifyIndex: 'int' };
const NODE: Shape = { ID: 'string', Node: 'string', Address: 'string', Datacenter: 'string', TaggedAddresses: 'strmap', Meta: 'strmap', ...INDEXED };
const SERVICE: Shape = {
  Node: 'string',
  ID: 'string',
  Service: 'string',
  Tags: 'strings',
  Address: 'string',
  Meta: 'strmap',
  // A Go int, as Consul keeps it: the write paths take a negative port, so a snapshot must too.
  Port: 'signed',
  Weights: 'object',
  EnableTagOverride: 'bool',
  ...INDEXED,
};
const CHECK: Shape = {
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
  Definition: 'object',
  ...INDEXED,
};
const KV: Shape = { Key: 'string', Value: 'bytes?', Flags: 'uint64', LockIndex: 'int', Session: 'string?', ...INDEXED };
const SESSION: Shape = {
  ID: 'string',
  Name: 'string',
  Node: 'string',
  LockDelay: 'int',
  Behavior: 'string',
  TTL: 'string',
  NodeChecks: 'strings',
  ServiceChecks: 'checkRefs',
  ...INDEXED,
};

export const isInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);

function fits(v: unknown, rule: Rule): boolean {
  switch (rule) {
    case 'string':
      return typeof v === 'string';
    case 'string?':
      return v === undefined || typeof v === 'string';
    case 'int':
      return isInt(v);
    case 'signed':
      return typeof v === 'number' && Number.isSafeInteger(v);
    case 'uint64':
      return isInt(v) || (typeof v === 'bigint' && v >= 0n && v < 2n ** 64n);
    case 'checkRefs':
      return v === null || (Array.isArray(v) && v.every((x) => isObject(x) && typeof x.ID === 'string'));
    case 'bool':
      return typeof v === 'boolean';
    case 'strings':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'strmap':
      return isObject(v) && Object.values(v).every((x) => typeof x === 'string');
    case 'object':
      return isObject(v);
    case 'bytes?':
      return v === null || Buffer.isBuffer(v);
  }
}

const CONFIG: Shape = { Kind: 'string', Name: 'string', ...INDEXED };

/** The shapes of the rows of each table, by table name. */
export const ROW_SHAPES: Readonly<Record<string, Shape>> = { nodes: NODE, services: SERVICE, checks: CHECK, kv: KV, sessions: SESSION, configs: CONFIG };

/** What is wrong with row `i` of table `name` (see ROW_SHAPES), or null. */
export function rowProblem(name: string, i: number, row: unknown, revision: number): string | null {
  if (!isObject(row)) return `${name}[${i}] must be an object`;
  for (const [field, rule] of Object.entries(ROW_SHAPES[name]!)) {
    if (!fits(row[field], rule)) return `${name}[${i}].${field} is missing or of the wrong type`;
  }
  if ((row.CreateIndex as number) > (row.ModifyIndex as number) || (row.ModifyIndex as number) > revision) {
    return `${name}[${i}] has indexes (${String(row.CreateIndex)}, ${String(row.ModifyIndex)}) that do not fit revision ${revision}`;
  }
  return null;
}

/** What is wrong with pair `i` (tombstones, index) of `name`, or null. */
export function pairProblem(name: string, i: number, p: unknown, revision: number): string | null {
  if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || !isInt(p[1]) || p[1] > revision) {
    return `${name}[${i}] must be a [key, revision] pair at or below revision ${revision}`;
  }
  return null;
}

function checkRows(name: string, rows: unknown, revision: number): string | null {
  if (!Array.isArray(rows)) return `"${name}" must be an array`;
  for (const [i, row] of rows.entries()) {
    const problem = rowProblem(name, i, row, revision);
    if (problem) return problem;
  }
  return null;
}

function checkPairs(name: string, pairs: unknown, revision: number): string | null {
  if (!Array.isArray(pairs)) return `"${name}" must be an array`;
  for (const [i, p] of pairs.entries()) {
    const problem = pairProblem(name, i, p, revision);
    if (problem) return problem;
  }
  return null;
}

/**
 * What is wrong with a decoded snapshot, or null: the shape of every row the store relies on,
 * indexes that fit the revision, and references that hold (the node of a service, check or
 * session, a check's service, a lock's session). Tables this check does not know (added later) must be arrays of rows;
 * loading the snapshot into a scratch store checks them further.
 */
export function checkSnapshot(snap: Snapshot): string | null {
  if (!isObject(snap)) return 'the state must be a JSON object';
  const revision = snap.revision;
  if (!isInt(revision)) return '"revision" must be a non-negative integer';
  const problem =
    checkRows('nodes', snap.nodes, revision) ??
    checkRows('services', snap.services, revision) ??
    checkRows('checks', snap.checks, revision) ??
    checkRows('kv', snap.kv, revision) ??
    (snap.sessions === undefined ? null : checkRows('sessions', snap.sessions, revision)) ??
    (snap.configs === undefined ? null : checkRows('configs', snap.configs, revision)) ??
    checkPairs('tombstones', snap.tombstones, revision) ??
    checkPairs('index', snap.index, revision);
  if (problem) return problem;
  if (snap.kvFloor !== undefined && (!isInt(snap.kvFloor) || snap.kvFloor > revision)) return '"kvFloor" must be an integer at or below the revision';
  const nodes = new Set(snap.nodes.map((n) => n.Node));
  const services = new Set<string>();
  for (const s of snap.services) {
    if (!nodes.has(s.Node)) return `service ${JSON.stringify(s.ID)} is on node ${JSON.stringify(s.Node)}, which is not in the snapshot`;
    services.add(ownedKey(s.Node, s.ID));
  }
  for (const c of snap.checks) {
    if (!nodes.has(c.Node)) return `check ${JSON.stringify(c.CheckID)} is on node ${JSON.stringify(c.Node)}, which is not in the snapshot`;
    if (!CHECK_STATUSES.includes(c.Status)) return `check ${JSON.stringify(c.CheckID)} has status ${JSON.stringify(c.Status)}`;
    if (c.ServiceID && !services.has(ownedKey(c.Node, c.ServiceID))) return `check ${JSON.stringify(c.CheckID)} belongs to service ${JSON.stringify(c.ServiceID)}, which is not in the snapshot`;
  }
  const sessions = new Set<string>();
  for (const s of snap.sessions ?? []) {
    if (!nodes.has(s.Node)) return `session ${JSON.stringify(s.ID)} is on node ${JSON.stringify(s.Node)}, which is not in the snapshot`;
    if (s.Behavior !== 'release' && s.Behavior !== 'delete') return `session ${JSON.stringify(s.ID)} has behavior ${JSON.stringify(s.Behavior)}`;
    sessions.add(s.ID);
  }
  const keys = new Set<string>();
  for (const e of snap.kv) {
    if (keys.has(e.Key)) return `key ${JSON.stringify(e.Key)} appears twice`;
    keys.add(e.Key);
    if (e.Session && !sessions.has(e.Session)) return `key ${JSON.stringify(e.Key)} is locked by session ${JSON.stringify(e.Session)}, which is not in the snapshot`;
  }
  const known = new Set(['revision', 'nodes', 'services', 'checks', 'kv', 'sessions', 'tombstones', 'kvFloor', 'index']);
  for (const [k, v] of Object.entries(snap)) {
    if (known.has(k)) continue;
    if (Array.isArray(v) ? !v.every((x) => isObject(x) || Array.isArray(x)) : isObject(v)) return `"${k}" must be an array of rows or a single value`;
  }
  return null;
}
