import type { Route } from '../api.js';
import { json } from '../reply.js';

/** A lone server is its own leader; the address is BIND:SERVER_PORT, as Consul reports raft peers. */
export const statusRoutes: Route[] = [
  { path: '/v1/status/leader', methods: { GET: (_req, api) => json(`${api.config.bindAddr}:${api.config.ports.server}`) } },
  { path: '/v1/status/peers', methods: { GET: (_req, api) => json([`${api.config.bindAddr}:${api.config.ports.server}`]) } },
];
