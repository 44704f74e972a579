import type { ExactKvPair, LockClient, QueryResponse, SessionEntry, SessionRequest } from '@praetor/sdk/lock';
import { InvalidSessionError, ResponseError } from '@praetor/sdk/lock';
import type { ApiClient, Query } from './api-client.js';
import { parseJson } from './go-json.js';

const kvPath = (key: string) => `/v1/kv/${key.split('/').map(encodeURIComponent).join('/')}`;

/**
 * The SDK's LockClient over the CLI's ApiClient (its -http-addr, token, datacenter and TLS), so
 * `praetor lock` takes locks with the SDK's ConsulLock and SessionKeeper: one implementation.
 * Answers other than the expected ones throw the SDK's ResponseError; connection failures
 * throw the ApiClient's CliError (which names the address to check).
 */
export function apiLockClient(api: ApiClient): LockClient {
  const expect = async (method: string, path: string, opts: Parameters<ApiClient['request']>[2], ok: number[] = [200]) => {
    const res = await api.request(method, path, opts);
    if (!ok.includes(res.status)) throw new ResponseError(res.status, method, path, res.body.toString('utf8'));
    return res;
  };
  const lockOp = async (op: 'acquire' | 'release', key: string, session: string, value: Buffer | null, flags: bigint): Promise<boolean> => {
    const res = await api.request('PUT', kvPath(key), { query: { [op]: session, flags: flags.toString() }, body: value ?? '' });
    const text = res.body.toString('utf8');
    if (res.status === 500 && /invalid session/i.test(text)) throw new InvalidSessionError(session, text);
    if (res.status !== 200) throw new ResponseError(res.status, 'PUT', kvPath(key), text);
    return text.trim() === 'true';
  };
  return {
    async kvPair(key, q = {}): Promise<QueryResponse<ExactKvPair | null>> {
      const query: Query = { index: q.index || undefined, wait: q.index && q.waitMs !== undefined ? `${Math.round(q.waitMs)}ms` : undefined, consistent: q.consistent || undefined };
      const res = await expect('GET', kvPath(key), { query, signal: q.signal }, [200, 404]);
      if (res.status === 404) return { value: null, index: res.index };
      const [pair] = parseJson(res.body.toString('utf8')) as Array<Omit<ExactKvPair, 'Flags'> & { Flags: number | bigint }>;
      return { value: pair ? { ...pair, Flags: BigInt(pair.Flags) } : null, index: res.index };
    },
    kvAcquire: (key, session, value, flags) => lockOp('acquire', key, session, value, flags),
    kvRelease: (key, session, value, flags) => lockOp('release', key, session, value, flags),
    async kvDeleteCas(key, modifyIndex) {
      const res = await expect('DELETE', kvPath(key), { query: { cas: modifyIndex } });
      return res.body.toString('utf8').trim() === 'true';
    },
    async createSession(req: SessionRequest) {
      const res = await expect('PUT', '/v1/session/create', { body: JSON.stringify(req) });
      return (JSON.parse(res.body.toString('utf8')) as { ID: string }).ID;
    },
    async renewSession(id): Promise<SessionEntry | null> {
      const res = await expect('PUT', `/v1/session/renew/${encodeURIComponent(id)}`, {}, [200, 404]);
      if (res.status === 404) return null;
      return (JSON.parse(res.body.toString('utf8')) as SessionEntry[] | null)?.[0] ?? null;
    },
    async destroySession(id) {
      await expect('PUT', `/v1/session/destroy/${encodeURIComponent(id)}`, {});
    },
  };
}
