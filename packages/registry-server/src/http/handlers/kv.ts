import { kvDeleteTreeTx, kvDeleteTx } from '../../commands/kv-delete.js';
import { kvLockTx, kvUnlockTx } from '../../commands/kv-lock.js';
import { kvSetTx } from '../../commands/kv-set.js';
import { BadRequestError, InvalidWriteError } from '../../errors.js';
import { kvGet, kvKeys, kvList } from '../../state/queries/kv.js';
import { kvEntryJson } from '../../structs/kv-entry.js';
import type { Api, Route } from '../api.js';
import type { ApiRequest } from '../api-request.js';
import { checkDatacenter, flag, sessionIdParam, uint64Param, uintParam } from '../query-params.js';
import { read } from '../read.js';
import { json, then, type Reply } from '../reply.js';

function notFound(reply: Reply): Reply {
  return { ...reply, status: 404, json: undefined, body: '' };
}

/** A list answered 404 when empty, headers kept (so a client can block on a prefix that is empty). */
function notFoundIfEmpty(reply: Reply): Reply {
  return (reply.json as unknown[]).length === 0 ? notFound(reply) : reply;
}

function get(req: ApiRequest, api: Api): Reply | Promise<Reply> {
  const key = req.param;
  if (flag(req, 'keys')) {
    const sep = req.query.get('separator') ?? '';
    return then(read(req, api, (s, ws) => kvKeys(s, ws, key, sep), (keys) => json(keys)), notFoundIfEmpty);
  }
  if (flag(req, 'recurse')) {
    return then(read(req, api, (s, ws) => kvList(s, ws, key), (entries) => json(entries.map(kvEntryJson))), notFoundIfEmpty);
  }
  // A single key needs its name (as Consul: clients' watches stop on this 400 instead of retrying).
  if (key === '') throw new BadRequestError('Missing key name');
  const raw = flag(req, 'raw');
  return read(
    req,
    api,
    (s, ws) => kvGet(s, ws, key),
    (e) => {
      if (!e) return { status: 404, body: '' };
      if (raw) return { body: e.Value ?? '', contentType: 'application/octet-stream' };
      return json([kvEntryJson(e)]);
    },
    // The encoded JSON of a key is good while the key's index stays put (raw and 404 are not cached).
    { cache: raw ? undefined : (s) => s.kv.keyIndex(key) },
  );
}

function requireKey(req: ApiRequest): string {
  if (req.param === '') throw new BadRequestError('Missing key name');
  return req.param;
}

async function put(req: ApiRequest, api: Api): Promise<Reply> {
  checkDatacenter(req, api.config.datacenter);
  const key = requireKey(req);
  const lock = lockParam(req);
  const flags = uint64Param(req, 'flags', 'Invalid flags: must be an unsigned 64-bit integer') ?? 0;
  const cas = uintParam(req, 'cas', 'Invalid cas index: must be an unsigned 64-bit integer');
  const limit = api.config.limits.kvMaxValueSize;
  const body = await req.body(limit, (size) => `Request body(${size} bytes) too large, max size: ${limit} bytes. See https://www.consul.io/docs/agent/options.html#kv_max_value_size.`);
  const value = body.length === 0 ? null : Buffer.from(body);
  if (lock) {
    const r = { Key: key, Value: value, Flags: flags, Session: lock.session };
    return json(await api.backend.submit((tx) => (lock.op === 'acquire' ? kvLockTx(tx, r) : kvUnlockTx(tx, r))));
  }
  return json(await api.backend.submit((tx) => kvSetTx(tx, { Key: key, Value: value, Flags: flags, Cas: cas })));
}

/** ?acquire=<session> or ?release=<session>; neither goes with the other or with ?cas. */
function lockParam(req: ApiRequest): { op: 'acquire' | 'release'; session: string } | undefined {
  const op = req.query.has('acquire') ? 'acquire' : req.query.has('release') ? 'release' : undefined;
  if (!op) return undefined;
  if ([req.query.has('acquire'), req.query.has('release'), req.query.has('cas')].filter(Boolean).length > 1) {
    throw new BadRequestError(`Conflicting flags: ${req.query.toString()}`);
  }
  const session = req.query.get(op)!;
  if (session === '') throw new InvalidWriteError('missing session');
  // Only an acquire looks the session up: a release by anything but the holder is simply false.
  return { op, session: op === 'acquire' ? sessionIdParam(session) : session };
}

async function del(req: ApiRequest, api: Api): Promise<Reply> {
  checkDatacenter(req, api.config.datacenter);
  const key = req.param;
  if (flag(req, 'recurse')) return json(await api.backend.submit((tx) => kvDeleteTreeTx(tx, { Prefix: key })));
  requireKey(req);
  const cas = uintParam(req, 'cas', 'Invalid cas index: must be an unsigned 64-bit integer');
  if (cas === 0) throw new BadRequestError('Invalid cas index: must be greater than 0 for a delete');
  return json(await api.backend.submit((tx) => kvDeleteTx(tx, { Key: key, Cas: cas })));
}

export const kvRoutes: Route[] = [{ path: '/v1/kv/', prefix: true, methods: { GET: get, PUT: put, DELETE: del } }];
