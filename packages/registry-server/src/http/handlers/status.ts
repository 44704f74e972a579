import type { Route } from '../api.js';
import { json } from '../reply.js';

/**
 * The leading server and every live server, as BIND:SERVER_PORT (as Consul reports raft peers);
 * the leader is "" while none leads.
 */
export const statusRoutes: Route[] = [
  { path: '/v1/status/leader', methods: { GET: (_req, api) => json(api.cluster.leader()) } },
  { path: '/v1/status/peers', methods: { GET: (_req, api) => json(api.cluster.servers().map((s) => s.addr)) } },
];
