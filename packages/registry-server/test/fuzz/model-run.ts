import { describe as describeRequest, type FuzzClient, type FuzzRequest, type FuzzResponse } from './fuzz-client.js';
import { checkAnswer } from './response-checks.js';
import { kvPath, parseFlagsExact, parseKvJson, PLAIN_KEYS, type Cas, type Command, type KvView, type PartitionModel } from './state-model.js';

/** A broken expectation, with the request that showed it. */
export class ModelMismatch extends Error {}

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const BAD_FLAGS = new Set(['18446744073709551616', '-1', 'x', '1.5']);
const KV_LIMIT = 512 * 1024;
/** A CAS index no key has (indexes are far below it in a test). */
const NEVER = 987_654_321;

function fail(what: string, req: FuzzRequest, res?: FuzzResponse): never {
  const answer = res ? ` -> ${res.status} ${JSON.stringify(res.body.subarray(0, 300).toString())}` : '';
  throw new ModelMismatch(`${what}\n  request: ${describeRequest(req)}${answer}`);
}

/** Sends a request and applies the general answer checks (no unexpected 5xx, valid bodies). */
async function send(client: FuzzClient, req: FuzzRequest, route: string): Promise<FuzzResponse> {
  const res = await client.send(req);
  const problem = checkAnswer(req, res, route);
  if (problem) fail(problem, req, res);
  return res;
}

function casText(part: PartitionModel, fullKey: string, cas: Cas): string | undefined {
  const current = part.kv.get(fullKey)?.modifyIndex;
  switch (cas) {
    case undefined:
      return undefined;
    case 0:
      return '0';
    case 'current':
      return String(current ?? NEVER);
    case 'stale':
      return String((current ?? 0) + NEVER);
    default:
      return 'abc';
  }
}

async function readBack(client: FuzzClient, part: PartitionModel, fullKey: string, value: Buffer, flags: string, after: FuzzRequest): Promise<void> {
  const req = { method: 'GET', path: kvPath(fullKey), headers: {} };
  const res = await send(client, req, '/v1/kv/');
  if (res.status !== 200) fail(`an acknowledged write is not readable (after ${describeRequest(after)})`, req, res);
  const [e] = parseKvJson(res.body.toString());
  if (e.Key !== fullKey || (e.Value ?? '') !== value.toString('base64') || e.Flags !== flags) fail(`read back ${JSON.stringify(e)} after ${describeRequest(after)}`, req, res);
  checkIndexMoved(part, fullKey, value, flags, e.ModifyIndex, req, res);
  part.kv.set(fullKey, { value, flags, modifyIndex: e.ModifyIndex });
}

/**
 * A write moves the key's ModifyIndex forward, except a write of the same value and flags,
 * which changes nothing (Consul 1.8.7 keeps the index too).
 */
function checkIndexMoved(part: PartitionModel, fullKey: string, value: Buffer, flags: string, index: number, req: FuzzRequest, res: FuzzResponse): void {
  const prev = part.kv.get(fullKey);
  const same = prev !== undefined && prev.flags === flags && (prev.value ?? Buffer.alloc(0)).equals(value);
  const before = prev?.modifyIndex ?? 0;
  if (same ? index !== before : !(index > before)) fail(`ModifyIndex went from ${before} to ${index} (same value and flags: ${same})`, req, res);
}

/** Runs one command against the agent and the model; throws a ModelMismatch when they disagree. */
export async function execute(client: FuzzClient, part: PartitionModel, cmd: Command): Promise<void> {
  switch (cmd.kind) {
    case 'put': {
      const fullKey = part.prefix + cmd.key;
      const cas = casText(part, fullKey, cmd.cas);
      const q = [cmd.flags !== undefined ? `flags=${cmd.flags}` : '', cas !== undefined ? `cas=${cas}` : ''].filter(Boolean).join('&');
      const req = { method: 'PUT', path: kvPath(fullKey) + (q ? `?${q}` : ''), headers: {}, body: cmd.value };
      const res = await send(client, req, '/v1/kv/');
      const refused = (cmd.flags !== undefined && BAD_FLAGS.has(cmd.flags)) || cmd.cas === 'garbage' ? 400 : cmd.value.length > KV_LIMIT ? 413 : undefined;
      if (refused) {
        // Odd keys may be refused earlier (400 for NUL, 301 for `..`): any refusal will do for them.
        if (PLAIN_KEYS.includes(cmd.key) ? res.status !== refused : res.status < 300) fail(`expected ${refused}`, req, res);
        return;
      }
      if (PLAIN_KEYS.includes(cmd.key) && res.status !== 200) fail('a plain key was refused', req, res);
      if (res.status !== 200) return;
      const exists = part.kv.has(fullKey);
      const expect = cmd.cas === undefined || (cmd.cas === 0 ? !exists : cmd.cas === 'current' ? exists : false);
      if (res.body.toString() !== String(expect)) fail(`expected ${expect}`, req, res);
      if (expect) await readBack(client, part, fullKey, cmd.value, cmd.flags ?? '0', req);
      return;
    }
    case 'delete': {
      const fullKey = part.prefix + cmd.key;
      const cas = casText(part, fullKey, cmd.cas);
      const req = { method: 'DELETE', path: kvPath(fullKey) + (cas !== undefined ? `?cas=${cas}` : ''), headers: {} };
      const res = await send(client, req, '/v1/kv/');
      if (cmd.cas === 0 || cmd.cas === 'garbage') {
        if (PLAIN_KEYS.includes(cmd.key) ? res.status !== 400 : res.status < 300) fail('expected 400 for ?cas=0 or a bad cas on a delete', req, res);
        return;
      }
      if (res.status !== 200) {
        if (PLAIN_KEYS.includes(cmd.key)) fail('a delete of a plain key was refused', req, res);
        return;
      }
      const exists = part.kv.has(fullKey);
      const expect = cmd.cas === undefined || (cmd.cas === 'current' && exists);
      if (res.body.toString() !== String(expect)) fail(`expected ${expect}`, req, res);
      if (expect) part.kv.delete(fullKey);
      return;
    }
    case 'delete-tree': {
      const prefix = part.prefix + cmd.key;
      const req = { method: 'DELETE', path: kvPath(prefix) + '?recurse', headers: {} };
      const res = await send(client, req, '/v1/kv/');
      if (res.status !== 200 || res.body.toString() !== 'true') fail('a recursive delete failed', req, res);
      for (const k of [...part.kv.keys()]) if (k.startsWith(prefix)) part.kv.delete(k);
      return;
    }
    case 'txn-set': {
      const fullKey = part.prefix + cmd.key;
      const req = { method: 'PUT', path: '/v1/txn', headers: JSON_HEADERS, body: Buffer.from(JSON.stringify([{ KV: { Verb: 'set', Key: fullKey, Value: cmd.value.toString('base64') } }])) };
      const res = await send(client, req, '/v1/txn');
      if (PLAIN_KEYS.includes(cmd.key) && res.status !== 200) fail('a txn set of a plain key failed', req, res);
      if (res.status !== 200) return;
      const kv = parseFlagsExact<{ Results: Array<{ KV?: KvView }> }>(res.body.toString()).Results[0]?.KV;
      if (kv?.Key !== fullKey) fail('txn result without the key', req, res);
      checkIndexMoved(part, fullKey, cmd.value, '0', kv.ModifyIndex, req, res);
      part.kv.set(fullKey, { value: cmd.value, flags: '0', modifyIndex: kv.ModifyIndex });
      return;
    }
    case 'register': {
      const body = { Node: part.node, Address: '127.0.0.1', Service: { ID: cmd.id, Service: cmd.name, Port: cmd.port, Tags: cmd.tags } };
      const req = { method: 'PUT', path: '/v1/catalog/register', headers: JSON_HEADERS, body: Buffer.from(JSON.stringify(body)) };
      const res = await send(client, req, '/v1/catalog/register');
      if (cmd.name === '') {
        if (res.status !== 500) fail('a service without a name must be refused with 500 (as Consul)', req, res);
        return;
      }
      if (res.status !== 200) fail('a registration was refused', req, res);
      part.services ??= new Map();
      part.services.set(cmd.id || cmd.name, { Service: cmd.name, Port: cmd.port, Tags: cmd.tags });
      return;
    }
    case 'deregister-service':
    case 'deregister-node': {
      const id = cmd.kind === 'deregister-service' ? cmd.id : '';
      const req = { method: 'PUT', path: '/v1/catalog/deregister', headers: JSON_HEADERS, body: Buffer.from(JSON.stringify({ Node: part.node, ServiceID: id })) };
      const res = await send(client, req, '/v1/catalog/deregister');
      if (res.status !== 200) fail('a deregistration was refused', req, res);
      if (id === '') part.services = undefined;
      else part.services?.delete(id);
      return;
    }
  }
}

/** The agent's view of a partition equals the model's: every key, value, flags and ModifyIndex, every service. */
export async function checkPartition(client: FuzzClient, part: PartitionModel, when: string): Promise<void> {
  const kvReq = { method: 'GET', path: kvPath(part.prefix) + '?recurse', headers: {} };
  const kvRes = await send(client, kvReq, '/v1/kv/');
  const got = kvRes.status === 404 ? [] : parseKvJson(kvRes.body.toString());
  const have = Object.fromEntries(got.map((e) => [e.Key, { value: e.Value ?? '', flags: e.Flags, modifyIndex: e.ModifyIndex }]));
  const want = Object.fromEntries([...part.kv].map(([k, e]) => [k, { value: e.value?.toString('base64') ?? '', flags: e.flags, modifyIndex: e.modifyIndex }]));
  if (JSON.stringify(sorted(have)) !== JSON.stringify(sorted(want))) fail(`${when}: KV under ${JSON.stringify(part.prefix)} differs from the model\n  agent: ${JSON.stringify(sorted(have))}\n  model: ${JSON.stringify(sorted(want))}`, kvReq, kvRes);

  const nodeReq = { method: 'GET', path: `/v1/catalog/node/${encodeURIComponent(part.node)}`, headers: {} };
  const nodeRes = await send(client, nodeReq, '/v1/catalog/node/');
  const node = JSON.parse(nodeRes.body.toString()) as { Services: Record<string, ServiceView> } | null;
  const haveSvc = node ? Object.fromEntries(Object.entries(node.Services).map(([id, s]) => [id, { Service: s.Service, Port: s.Port, Tags: s.Tags }])) : null;
  const wantSvc = part.services ? Object.fromEntries(part.services) : null;
  if (JSON.stringify(haveSvc && sorted(haveSvc)) !== JSON.stringify(wantSvc && sorted(wantSvc))) fail(`${when}: services of ${part.node} differ from the model\n  agent: ${JSON.stringify(haveSvc)}\n  model: ${JSON.stringify(wantSvc)}`, nodeReq, nodeRes);
}

interface ServiceView {
  Service: string;
  Port: number;
  Tags: string[];
}

function sorted<T>(o: Record<string, T>): Array<[string, T]> {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
