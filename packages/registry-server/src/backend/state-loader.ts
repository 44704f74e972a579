import crypto from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { jsonTooDeep, MAX_JSON_DEPTH } from '../internal/json-depth.js';
import type { StateStore } from '../state/state-store.js';
import { CHECK_STATUSES, type HealthCheck } from '../structs/check.js';
import type { ConfigEntry } from '../structs/config-entry.js';
import type { KvEntry } from '../structs/kv-entry.js';
import type { Node } from '../structs/node.js';
import type { Service } from '../structs/service.js';
import type { Session } from '../structs/session.js';
import { isInt, pairProblem, rowProblem } from './snapshot-check.js';
import { RECORD_TABLES, STATE_FORMAT, STATE_VERSION, type StateHeader } from './state-stream.js';

/** The longest record a reader accepts (a KV value of 48 MiB, in base64). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
const SLICE_MS = 4;
const NL = Buffer.from('\n');

/** A record stream that cannot be loaded; the message says what is wrong and where. */
export class StateFormatError extends Error {}

/** Lines of a byte stream (without their newline), none longer than `max` bytes. */
export async function* splitLines(source: AsyncIterable<Buffer>, max = MAX_RECORD_BYTES): AsyncGenerator<Buffer> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  for await (const chunk of source) {
    let from = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, from)) {
      const piece = chunk.subarray(from, nl);
      if (heldBytes + piece.length > max) throw new StateFormatError(`a record is longer than ${max} bytes`);
      yield held.length === 0 ? piece : Buffer.concat([...held, piece]);
      held = [];
      heldBytes = 0;
      from = nl + 1;
    }
    if (from < chunk.length) {
      heldBytes += chunk.length - from;
      if (heldBytes > max) throw new StateFormatError(`a record is longer than ${max} bytes`);
      held.push(Buffer.from(chunk.subarray(from)));
    }
  }
  if (heldBytes > 0) yield Buffer.concat(held);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** KV values and large flags back from their JSON form. */
function reviveKv(v: Record<string, unknown>): void {
  const value = v.Value as { $b64?: unknown } | null;
  if (isObject(value) && typeof value.$b64 === 'string') v.Value = Buffer.from(value.$b64, 'base64');
  const flags = v.Flags as { $u64?: unknown };
  if (isObject(flags) && typeof flags.$u64 === 'string' && /^\d{1,20}$/.test(flags.$u64)) v.Flags = BigInt(flags.$u64);
}

/**
 * Builds a store from a record stream (state-stream.ts), one line at a time. With `validate`
 * (archives from outside) every row is checked for shape, indexes and references before it
 * goes in; the agent's own snapshot files are trusted once their checksum holds.
 */
export class StateLoader {
  private header: StateHeader | null = null;
  private readonly hash = crypto.createHash('sha256');
  private records = 0;
  private ended = false;
  /** Rows per table, every table listed. */
  readonly tables: Record<string, number> = Object.fromEntries(Object.values(RECORD_TABLES).map((t) => [t, 0]));

  constructor(
    private readonly store: StateStore,
    private readonly validate: boolean,
  ) {
    if (store.revision !== 0) throw new Error('a snapshot loads only into an empty store');
  }

  line(buf: Buffer): void {
    const at = this.records + 1;
    if (this.ended) throw new StateFormatError(`data after the end record (line ${at + 1})`);
    let rec: Record<string, unknown>;
    const text = buf.toString('utf8');
    // A restored snapshot is network data: no deeper than the API takes (a record wraps an entity in two levels).
    const tooDeep = this.validate ? jsonTooDeep(text, MAX_JSON_DEPTH + 2) : undefined;
    if (tooDeep) throw new StateFormatError(`line ${at}: ${tooDeep}`);
    try {
      rec = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new StateFormatError(`line ${at}: ${(err as Error).message}${this.header ? ' (the state is damaged or truncated)' : ''}`);
    }
    if (!isObject(rec)) throw new StateFormatError(`line ${at} is not a JSON object`);
    if (!this.header) return this.start(rec, buf);
    if (rec.t === 'end') return this.end(rec);
    this.hash.update(buf).update(NL);
    this.records++;
    this.add(rec);
  }

  private start(rec: Record<string, unknown>, buf: Buffer): void {
    if (rec.format !== STATE_FORMAT) throw new StateFormatError(`not a ${STATE_FORMAT} stream`);
    if (rec.version !== STATE_VERSION) throw new StateFormatError(`unsupported state version ${String(rec.version)}: this Praetor reads version ${STATE_VERSION}`);
    if (!isInt(rec.revision)) throw new StateFormatError('"revision" must be a non-negative integer');
    if (!isInt(rec.kvFloor) || (rec.kvFloor as number) > (rec.revision as number)) throw new StateFormatError('"kvFloor" must be an integer at or below the revision');
    this.header = rec as unknown as StateHeader;
    this.hash.update(buf).update(NL);
  }

  private end(rec: Record<string, unknown>): void {
    if (rec.records !== this.records) throw new StateFormatError(`the end record counts ${String(rec.records)} records, the state holds ${this.records}`);
    if (rec.sha256 !== this.hash.digest('hex')) throw new StateFormatError('SHA256 mismatch: the state is corrupt');
    this.ended = true;
  }

  private add(rec: Record<string, unknown>): void {
    const table = typeof rec.t === 'string' ? RECORD_TABLES[rec.t] : undefined;
    if (!table) throw new StateFormatError(`unknown record type ${JSON.stringify(rec.t)} (written by a newer Praetor?)`);
    const i = this.tables[table] ?? 0;
    this.tables[table] = i + 1;
    const revision = this.header!.revision;
    const { catalog, kv, sessions } = this.store;
    if (table === 'tombstones' || table === 'index') {
      const pair = [rec.k, rec.r];
      const problem = this.validate ? pairProblem(table, i, pair, revision) : null;
      if (problem) throw new StateFormatError(problem);
      const [k, r] = pair as [string, number];
      if (table === 'index') return this.store.index.bump(k, r);
      if (kv.get(k)) throw new StateFormatError(`key ${JSON.stringify(k)} is both live and deleted`);
      kv.put({ Key: k, Value: null, Flags: 0, LockIndex: 0, CreateIndex: r, ModifyIndex: r });
      return kv.delete(k, r);
    }
    const v = rec.v as Record<string, unknown>;
    if (table === 'kv' && isObject(v)) reviveKv(v);
    if (this.validate) {
      const problem = rowProblem(table, i, v, revision) ?? this.reference(table, v);
      if (problem) throw new StateFormatError(problem);
    }
    if (table === 'nodes') catalog.putNode(v as unknown as Node);
    else if (table === 'services') catalog.putService(v as unknown as Service);
    else if (table === 'checks') catalog.putCheck(v as unknown as HealthCheck);
    else if (table === 'sessions') sessions.put(v as unknown as Session);
    else if (table === 'configs') this.store.configs.put(v as unknown as ConfigEntry);
    else kv.put(v as unknown as KvEntry);
  }

  /** What a row refers to that is not (yet) in the store, or null. */
  private reference(table: string, v: Record<string, unknown>): string | null {
    const { catalog, kv, sessions } = this.store;
    const q = JSON.stringify;
    if (table !== 'nodes' && table !== 'kv' && table !== 'configs' && !catalog.nodes.has(v.Node as string)) {
      const what = { services: `service ${q(v.ID)}`, checks: `check ${q(v.CheckID)}`, sessions: `session ${q(v.ID)}` }[table];
      return `${what} is on node ${q(v.Node)}, which is not in the snapshot`;
    }
    if (table === 'checks') {
      if (!CHECK_STATUSES.includes(v.Status as HealthCheck['Status'])) return `check ${q(v.CheckID)} has status ${q(v.Status)}`;
      if (v.ServiceID && !catalog.getService(v.Node as string, v.ServiceID as string)) return `check ${q(v.CheckID)} belongs to service ${q(v.ServiceID)}, which is not in the snapshot`;
    }
    if (table === 'sessions' && v.Behavior !== 'release' && v.Behavior !== 'delete') return `session ${q(v.ID)} has behavior ${q(v.Behavior)}`;
    if (table === 'kv') {
      if (kv.get(v.Key as string) || kv.tombstones.has(v.Key as string)) return `key ${q(v.Key)} appears twice`;
      if (v.Session && !sessions.get(v.Session as string)) return `key ${q(v.Key)} is locked by session ${q(v.Session)}, which is not in the snapshot`;
    }
    return null;
  }

  /** Checks that the stream was whole and sets the revision; returns it. */
  finish(): number {
    if (!this.header) throw new StateFormatError('the state is empty');
    if (!this.ended) throw new StateFormatError(`the state is truncated: no end record after ${this.records} records`);
    this.store.kv.floor = this.header.kvFloor;
    this.store.revision = this.header.revision;
    return this.header.revision;
  }
}

/**
 * Loads a record stream into an empty store, yielding to the event loop every few ms. Returns the
 * revision and the rows per table; throws a StateFormatError when the stream does not load.
 */
export async function loadState(source: AsyncIterable<Buffer>, store: StateStore, validate: boolean): Promise<{ revision: number; tables: Record<string, number> }> {
  const loader = new StateLoader(store, validate);
  let started = performance.now();
  for await (const line of splitLines(source)) {
    loader.line(line);
    if (performance.now() - started >= SLICE_MS) {
      await nextTurn();
      started = performance.now();
    }
  }
  return { revision: loader.finish(), tables: loader.tables };
}
