import { decodeSnapshotArchive, encodeSnapshotArchive } from '../../backend/snapshot-archive.js';
import { takeSnapshot } from '../../backend/embedded/snapshot.js';
import type { Api, Route } from '../api.js';
import type { ApiRequest } from '../api-request.js';
import { checkDatacenter, flag } from '../query-params.js';
import type { Reply } from '../reply.js';

/** The largest archive PUT /v1/snapshot reads (compressed). */
export const SNAPSHOT_BODY_LIMIT = 256 * 1024 * 1024;

/** GET /v1/snapshot: the whole state as an archive; X-Consul-Index is its revision. */
function save(req: ApiRequest, api: Api): Reply {
  checkDatacenter(req, api.config.datacenter);
  const snap = takeSnapshot(api.store);
  return {
    body: encodeSnapshotArchive(snap),
    contentType: 'application/x-gzip',
    meta: { index: snap.revision, consistency: flag(req, 'stale') ? 'stale' : 'leader' },
  };
}

/**
 * PUT /v1/snapshot: checks the archive fully, then replaces the whole state with it (durably),
 * releases every blocking query and lets the local agent put back its own node and checks.
 * A bad archive is a 500 with nothing changed, as in Consul.
 */
async function restore(req: ApiRequest, api: Api): Promise<Reply> {
  checkDatacenter(req, api.config.datacenter);
  const body = await req.body(SNAPSHOT_BODY_LIMIT, (size) => `Request body(${size} bytes) too large, max size: ${SNAPSHOT_BODY_LIMIT} bytes.`);
  const { snapshot } = decodeSnapshotArchive(body);
  await api.backend.restore(snapshot);
  api.cache.clear();
  api.log.info('state restored from a snapshot', { revision: snapshot.revision });
  // The restore stands even if this fails; the agent's own entries come back at its next start.
  await api.agent.afterRestore().catch((err: Error) => api.log.warn('could not re-register the local node after a restore', { error: err.message }));
  return {};
}

export const snapshotRoutes: Route[] = [{ path: '/v1/snapshot', methods: { GET: save, PUT: restore } }];
