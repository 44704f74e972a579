import { filterList } from '../../filter/filter.js';
import { CHECK_FIELDS, SERVICE_ENTRY_FIELDS } from '../../filter/schemas.js';
import { nodeChecks, serviceIndex } from '../../state/queries/catalog.js';
import { healthConnect } from '../../state/queries/connect.js';
import { healthIngress } from '../../state/queries/gateway.js';
import { checksInState, healthService, serviceChecks, type ServiceEntry } from '../../state/queries/health.js';
import type { CheckStatus } from '../../structs/check.js';
import type { Route } from '../api.js';
import { flag, nodeMeta, tags } from '../query-params.js';
import { read } from '../read.js';
import { json } from '../reply.js';
import { checkView, nodeView, serviceView } from '../views.js';

function serviceEntryView(e: ServiceEntry): Record<string, unknown> {
  return { Node: nodeView(e.node), Service: serviceView(e.service), Checks: e.checks.map(checkView) };
}

export const healthRoutes: Route[] = [
  {
    path: '/v1/health/node/',
    prefix: true,
    methods: {
      GET: (req, api) => read(req, api, (s, ws) => nodeChecks(s, ws, req.param), (checks, f) => json(filterList(checks.map(checkView), f)), { filter: CHECK_FIELDS }),
    },
  },
  {
    path: '/v1/health/checks/',
    prefix: true,
    methods: {
      GET: (req, api) => {
        const meta = nodeMeta(req);
        return read(req, api, (s, ws) => serviceChecks(s, ws, req.param, meta), (checks, f) => json(filterList(checks.map(checkView), f)), { filter: CHECK_FIELDS });
      },
    },
  },
  {
    path: '/v1/health/ingress/',
    prefix: true,
    methods: {
      GET: (req, api) => {
        const passing = flag(req, 'passing');
        return read(req, api, (s, ws) => healthIngress(s, ws, req.param, passing), (entries, f) => json(filterList(entries.map(serviceEntryView), f)), { filter: SERVICE_ENTRY_FIELDS });
      },
    },
  },
  {
    path: '/v1/health/connect/',
    prefix: true,
    methods: {
      GET: (req, api) => {
        const q = { tags: tags(req), nodeMeta: nodeMeta(req), passing: flag(req, 'passing') };
        return read(req, api, (s, ws) => healthConnect(s, ws, req.param, q), (entries, f) => json(filterList(entries.map(serviceEntryView), f)), { filter: SERVICE_ENTRY_FIELDS });
      },
    },
  },
  {
    path: '/v1/health/service/',
    prefix: true,
    methods: {
      GET: (req, api) => {
        const q = { tags: tags(req), nodeMeta: nodeMeta(req), passing: flag(req, 'passing') };
        return read(req, api, (s, ws) => healthService(s, ws, req.param, q), (entries, f) => json(filterList(entries.map(serviceEntryView), f)), {
          cache: (s) => serviceIndex(s, req.param),
          filter: SERVICE_ENTRY_FIELDS,
          agentCached: true,
        });
      },
    },
  },
  {
    path: '/v1/health/state/',
    prefix: true,
    methods: {
      GET: (req, api) => {
        // Consul answers an unknown state with an empty list, not an error.
        const state = req.param;
        const meta = nodeMeta(req);
        return read(req, api, (s, ws) => checksInState(s, ws, state as CheckStatus | 'any', meta), (checks, f) => json(filterList(checks.map(checkView), f)), {
          filter: CHECK_FIELDS,
        });
      },
    },
  },
];
