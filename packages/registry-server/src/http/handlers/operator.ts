import { BadRequestError, InternalError } from '../../errors.js';
import type { Api, Route } from '../api.js';
import type { ApiRequest } from '../api-request.js';
import { json } from '../reply.js';
import type { RaftServer } from '../../structs/raft-server.js';

/**
 * Every live server of the datacenter as a voting raft peer, the leader marked: the cluster's
 * servers (one embedded, or those holding an etcd lease), their node IDs from the catalog.
 * Praetor keeps no raft log, so the configuration's Index is always 0 (a bootstrapped
 * Consul's own before any change).
 */
function raftConfiguration(api: Api): { Servers: RaftServer[]; Index: number } {
  const leader = api.cluster.leader();
  const Servers = api.cluster.servers().map((s) => ({
    ID: api.store.catalog.nodes.get(s.name)?.ID ?? '',
    Node: s.name,
    Address: s.addr,
    Leader: s.addr === leader,
    ProtocolVersion: '3',
    Voter: true,
  }));
  return { Servers, Index: 0 };
}

/**
 * A peer is removed from Consul's raft configuration by ?id or ?address. Praetor's servers are
 * peers only while they run (their etcd lease): an unknown one answers Consul's 500; a live one
 * cannot be removed, and the answer says what does remove it.
 */
function removePeer(req: ApiRequest, api: Api): never {
  const id = req.query.get('id') ?? '';
  const address = req.query.get('address') ?? '';
  if (!id && !address) throw new BadRequestError("Bad request: Must specify either ?id with the server's ID or ?address with IP:port of peer to remove");
  const peer = raftConfiguration(api).Servers.find((s) => (id ? s.ID === id : s.Address === address));
  if (!peer) throw new InternalError(id ? `id "${id}" was not found in the Raft configuration` : `address "${address}" was not found in the Raft configuration`);
  throw new InternalError(`server ${JSON.stringify(peer.Node)} is live: Praetor removes a server when it stops or leaves; run \`praetor leave\` against it (or stop it) instead`);
}

export const operatorRoutes: Route[] = [
  { path: '/v1/operator/raft/configuration', methods: { GET: (_req, api) => json(raftConfiguration(api)) } },
  { path: '/v1/operator/raft/peer', methods: { DELETE: (req, api) => removePeer(req, api) } },
];
