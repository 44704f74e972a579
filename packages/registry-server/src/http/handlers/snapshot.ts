import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import { takeSnapshot } from '../../state/snapshot.js';
import { snapshotArchive } from '../../backend/snapshot-archive.js';
import { readSnapshotArchive } from '../../backend/snapshot-archive-read.js';
import { TooLargeError } from '../../errors.js';
import type { Api, Route } from '../api.js';
import type { ApiRequest } from '../api-request.js';
import { checkDatacenter, flag } from '../query-params.js';
import type { Reply } from '../reply.js';

const tooLarge = (size: number, limit: number) => `Request body(${size} bytes) too large, max size: ${limit} bytes.`;

/**
 * GET /v1/snapshot: the whole state as an archive; X-Consul-Index is its revision. The state is
 * the one at the request, durable writes only as for every GET (takeSnapshot copies references
 * to immutable rows); the archive is streamed a slice at a time, so other requests, writes
 * included, are served meanwhile.
 */
function save(req: ApiRequest, api: Api): Reply {
  checkDatacenter(req, api.config.datacenter);
  const snap = takeSnapshot(api.store);
  const stream = snapshotArchive(snap);
  stream.once('error', (err) => api.log.warn('snapshot download cut short', { revision: snap.revision, error: err.message }));
  return {
    stream,
    contentType: 'application/x-gzip',
    meta: { index: snap.revision, consistency: flag(req, 'stale') ? 'stale' : 'leader' },
  };
}

/** The request body, refused (413) as soon as it passes `limit` bytes; the caller drains the rest. */
async function* cappedBody(body: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new TooLargeError(tooLarge(size, limit));
    yield chunk;
  }
}

/**
 * PUT /v1/snapshot: streams the archive (at most limits.snapshot_max_size bytes, compressed and
 * inflated) through a temporary file in the data dir, checks it fully, loads it into a scratch
 * store, then replaces the whole state with it (durably), releases every blocking query and lets
 * the local agent put back its own node and checks. A bad archive is a 500 with nothing
 * changed, as in Consul; a body over the limit a 413.
 */
async function restore(req: ApiRequest, api: Api): Promise<Reply> {
  checkDatacenter(req, api.config.datacenter);
  const limit = api.config.limits.snapshotMaxSize;
  const declared = Number(req.header('content-length') ?? NaN);
  let decoded;
  try {
    if (declared > limit) throw new TooLargeError(tooLarge(declared, limit));
    decoded = await readSnapshotArchive(cappedBody(req.raw, limit), { maxBytes: limit, tmpDir: api.config.dataDir ?? os.tmpdir() });
  } finally {
    // Whatever the client still sends is read and dropped, so the answer reaches it.
    req.raw.resume();
  }
  await api.backend.restore(decoded.store);
  api.log.info('state restored from a snapshot', { revision: decoded.meta.Index });
  // The restore stands even if this fails; the agent's own entries come back at its next start.
  await api.agent.afterRestore().catch((err: Error) => api.log.warn('could not re-register the local node after a restore', { error: err.message }));
  return {};
}

export const snapshotRoutes: Route[] = [{ path: '/v1/snapshot', methods: { GET: save, PUT: restore } }];
