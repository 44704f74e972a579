import type { Route } from './api.js';
import { agentRoutes } from './handlers/agent.js';
import { catalogRoutes } from './handlers/catalog.js';
import { healthRoutes } from './handlers/health.js';
import { kvRoutes } from './handlers/kv.js';
import { snapshotRoutes } from './handlers/snapshot.js';
import { statusRoutes } from './handlers/status.js';

/** The one route table: every path the HTTP API answers, with its methods. */
export const ROUTES: readonly Route[] = [...agentRoutes, ...catalogRoutes, ...healthRoutes, ...kvRoutes, ...statusRoutes, ...snapshotRoutes];
