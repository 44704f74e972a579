import type { Route } from './api.js';
import { agentRoutes } from './handlers/agent.js';
import { catalogRoutes } from './handlers/catalog.js';
import { configRoutes } from './handlers/config.js';
import { eventRoutes } from './handlers/event.js';
import { healthRoutes } from './handlers/health.js';
import { heartbeatRoutes } from './handlers/heartbeat.js';
import { kvRoutes } from './handlers/kv.js';
import { memberRoutes } from './handlers/members.js';
import { operatorRoutes } from './handlers/operator.js';
import { sessionRoutes } from './handlers/session.js';
import { snapshotRoutes } from './handlers/snapshot.js';
import { statusRoutes } from './handlers/status.js';
import { txnRoutes } from './handlers/txn.js';
import { wanRoutes } from './handlers/wan.js';
import { uiRoutes } from './ui-files.js';

/** The one route table: every path the HTTP API answers, with its methods (and the web UI's). */
export const ROUTES: readonly Route[] = [
  ...agentRoutes,
  ...catalogRoutes,
  ...configRoutes,
  ...eventRoutes,
  ...healthRoutes,
  ...heartbeatRoutes,
  ...kvRoutes,
  ...memberRoutes,
  ...operatorRoutes,
  ...sessionRoutes,
  ...snapshotRoutes,
  ...statusRoutes,
  ...txnRoutes,
  ...wanRoutes,
  ...uiRoutes,
];
