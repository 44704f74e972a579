import { isTxnWrite, txnRead, TxnRollback, txnTx, type TxnError, type TxnResult } from '../../commands/txn-ops.js';
import { kvEntryJson } from '../../structs/kv-entry.js';
import type { Api, Route } from '../api.js';
import type { ApiRequest } from '../api-request.js';
import { checkDatacenter, queryOptions } from '../query-params.js';
import { json, type Reply } from '../reply.js';
import { checkView, nodeView, serviceView } from '../views.js';
import { decodeTxnOps } from './txn-decode.js';

/** An empty map or list as null: a txn result shows the stored entity, where Consul keeps what was not sent as nil. */
function orNull(v: unknown): unknown {
  return v === undefined || (typeof v === 'object' && v !== null && Object.keys(v).length === 0) ? null : v;
}

function resultView(r: TxnResult): Record<string, unknown> {
  if ('KV' in r) return { KV: kvEntryJson(r.KV) };
  if ('Node' in r) {
    const n = nodeView(r.Node);
    return { Node: { ...n, TaggedAddresses: orNull(n.TaggedAddresses), Meta: orNull(n.Meta) } };
  }
  if ('Service' in r) {
    const s = serviceView(r.Service);
    return { Service: { ...s, Tags: orNull(s.Tags), Meta: orNull(s.Meta) } };
  }
  const c = checkView(r.Check);
  return { Check: { ...c, ServiceTags: orNull(c.ServiceTags) } };
}

/** Consul's answer: results when applied, the errors (and no results) when rolled back. */
function outcome(results: TxnResult[], errors: TxnError[]): { Results: unknown[] | null; Errors: TxnError[] | null } {
  if (errors.length > 0) return { Results: null, Errors: errors };
  return { Results: results.map(resultView), Errors: null };
}

/** Body too large, worded as Consul words it (with the size when the client declared one). */
function tooLarge(req: ApiRequest, limit: number): (size: number) => string {
  const declared = req.header('content-length') !== undefined;
  return (size) => `Request body${declared ? `(${size} bytes)` : ''} too large, max size: ${limit} bytes. See https://www.consul.io/docs/agent/options.html#txn_max_req_len.`;
}

/**
 * PUT /v1/txn: up to MAX_TXN_OPS operations applied atomically. A transaction with a write is one
 * command on the backend (one revision, or nothing when an operation fails: 409 with every
 * error). One of reads only runs on the store as it is, honours ?stale/?consistent, does not
 * block, and carries the query metadata in its body as Consul's does.
 */
async function txn(req: ApiRequest, api: Api): Promise<Reply> {
  const { txnMaxReqLen, kvMaxValueSize } = api.config.limits;
  const limit = Math.max(txnMaxReqLen, kvMaxValueSize);
  const body = await req.body(limit, tooLarge(req, limit));
  const ops = decodeTxnOps(body, { datacenter: api.config.datacenter, kvMaxValueSize });
  checkDatacenter(req, api.config.datacenter);

  if (ops.some(isTxnWrite)) {
    try {
      const applied = await api.backend.submit((tx) => txnTx(tx, ops));
      return json(outcome(applied.results(), []));
    } catch (err) {
      if (err instanceof TxnRollback) return json(outcome([], err.errors), 409);
      throw err;
    }
  }

  // Parsed for its errors only (a bad ?index, ?stale with ?consistent): a transaction never blocks.
  const { consistency } = queryOptions(req, api.config);
  // Reads answer only from durable writes (StateStore.readable).
  const durable = api.store.readable(consistency === 'stale' ? 'stale' : 'fresh');
  if (durable) await durable;
  const { results, errors } = txnRead(api.store, ops);
  const knownLeader = api.cluster.knownLeader();
  const lastContact = consistency === 'stale' ? api.cluster.lastContact() : 0;
  const reply = json({ ...outcome(results, errors), Index: 0, LastContact: lastContact, KnownLeader: knownLeader, ConsistencyLevel: '' }, errors.length > 0 ? 409 : 200);
  reply.headers = { 'X-Consul-Knownleader': String(knownLeader), 'X-Consul-Lastcontact': String(lastContact) };
  return reply;
}

export const txnRoutes: Route[] = [{ path: '/v1/txn', methods: { PUT: txn } }];
