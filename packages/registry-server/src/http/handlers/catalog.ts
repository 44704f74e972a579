import { CHECK_SCHEMA } from '../../agent/check-definition.js';
import { CONNECT_SCHEMA, PROXY_SCHEMA, TAGGED_ADDRESSES_SCHEMA, WEIGHTS_SCHEMA, meshProblems } from '../../agent/service-definition.js';
import { proxyConfig } from '../../structs/connect.js';
import { DEFAULT_WEIGHTS, type Weights } from '../../structs/service.js';
import { deregisterTx } from '../../commands/deregister.js';
import { registerTx, type CheckInput, type RegisterRequest, type ServiceInput } from '../../commands/register.js';
import { BadRequestError, InternalError, multiError, NoPathToDatacenterError } from '../../errors.js';
import { filterList, filterValues, type Filter } from '../../filter/filter.js';
import { NODE_FIELDS, SERVICE_FIELDS, SERVICE_NODE_FIELDS } from '../../filter/schemas.js';
import { catalogNode, catalogNodes, catalogService, catalogServiceInstances, catalogServices, serviceIndex } from '../../state/queries/catalog.js';
import { catalogConnect } from '../../state/queries/connect.js';
import { gatewayServices } from '../../state/queries/gateway.js';
import type { StateStore } from '../../state/state-store.js';
import type { WatchSet } from '../../state/watch-set.js';
import { CHECK_STATUSES, type CheckStatus, type CheckType } from '../../structs/check.js';
import type { Node } from '../../structs/node.js';
import type { Service } from '../../structs/service.js';
import type { Route } from '../api.js';
import { decode, object, parseJson } from '../decode.js';
import { checkDatacenter, nodeMeta, tags } from '../query-params.js';
import { read } from '../read.js';
import { json } from '../reply.js';
import { catalogServiceView, nodeView, serviceView } from '../views.js';
import { BODY_LIMIT, tooLarge } from './body-limit.js';

const CATALOG_SERVICE = object(
  {
    ID: 'string',
    Service: 'string',
    Tags: 'strings',
    Address: 'string',
    TaggedAddresses: TAGGED_ADDRESSES_SCHEMA,
    Meta: 'strmap',
    Port: 'int',
    Weights: WEIGHTS_SCHEMA,
    EnableTagOverride: 'bool',
    Kind: 'string',
    Namespace: 'string',
    Proxy: PROXY_SCHEMA,
    Connect: CONNECT_SCHEMA,
    CreateIndex: 'uint',
    ModifyIndex: 'uint',
  },
  { Name: 'Service' },
);

const CATALOG_CHECK = object({
  Node: 'string',
  CheckID: 'string',
  Name: 'string',
  Notes: 'string',
  Status: 'string',
  Output: 'string',
  ServiceID: 'string',
  ServiceName: 'string',
  ServiceTags: 'strings',
  Type: 'string',
  Definition: CHECK_SCHEMA,
  Namespace: 'string',
  CreateIndex: 'uint',
  ModifyIndex: 'uint',
});

const REGISTER = object({
  ID: 'string',
  Node: 'string',
  Address: 'string',
  Datacenter: 'string',
  TaggedAddresses: 'strmap',
  NodeMeta: 'strmap',
  Service: CATALOG_SERVICE,
  Check: CATALOG_CHECK,
  Checks: { array: CATALOG_CHECK },
  SkipNodeUpdate: 'bool',
  Token: 'string',
  // Consul's RegisterRequest embeds its RaftIndex: sent back as read, they are ignored.
  CreateIndex: 'uint',
  ModifyIndex: 'uint',
});

/** Consul's DeregisterRequest, plus the node Address older clients send (ignored, as Consul does). */
const DEREGISTER = object({ Node: 'string', Address: 'string', Datacenter: 'string', CheckID: 'string', ServiceID: 'string', Token: 'string' });

type D = Record<string, unknown>;

function catalogCheck(c: D): CheckInput {
  const status = (c.Status as string) || 'critical';
  if (!CHECK_STATUSES.includes(status as CheckStatus)) throw new BadRequestError(`Invalid check status: ${JSON.stringify(status)}`);
  const def = (c.Definition as D | undefined) ?? {};
  return {
    CheckID: (c.CheckID as string) ?? '',
    Name: (c.Name as string) ?? '',
    Status: status as CheckStatus,
    Notes: (c.Notes as string) ?? '',
    Output: (c.Output as string) ?? '',
    ServiceID: (c.ServiceID as string) ?? '',
    Type: catalogCheckType(c, def) as CheckType,
    Definition: def,
  };
}

/** A catalog check's Type: as sent, else the one of HTTP, TCP or GRPC its definition sets (none or several: ""), as Consul 1.8.7. */
function catalogCheckType(c: D, def: D): string {
  if (c.Type) return c.Type as string;
  const set = (['HTTP', 'TCP', 'GRPC'] as const).filter((k) => def[k]);
  return set.length === 1 ? set[0]!.toLowerCase() : '';
}

function registerRequest(d: D, datacenter: string): RegisterRequest {
  if (d.Datacenter && d.Datacenter !== datacenter) throw new NoPathToDatacenterError();
  let service: ServiceInput | undefined;
  if (d.Service) {
    const s = d.Service as D;
    const w = (s.Weights as Weights | undefined) ?? DEFAULT_WEIGHTS;
    service = {
      ID: (s.ID as string) ?? '',
      Service: (s.Service as string) ?? '',
      Tags: (s.Tags as string[]) ?? [],
      Address: (s.Address as string) ?? '',
      Meta: (s.Meta as Record<string, string>) ?? {},
      Port: (s.Port as number) ?? 0,
      Weights: { Passing: w.Passing ?? 1, Warning: w.Warning ?? 1 },
      EnableTagOverride: (s.EnableTagOverride as boolean) ?? false,
    };
    if (s.TaggedAddresses) service.TaggedAddresses = s.TaggedAddresses as ServiceInput['TaggedAddresses'];
    // Service mesh, as data: stored as sent (the catalog does not default upstream types).
    if (s.Kind) service.Kind = s.Kind as string;
    if (s.Proxy) service.Proxy = proxyConfig(s.Proxy, false);
    if ((s.Connect as { Native?: boolean } | undefined)?.Native) service.Connect = { Native: true };
    // Checked as Consul's catalog checks them: the agent's rules, answered with a 500.
    const problems = meshProblems(service);
    if (problems.length > 0) throw new InternalError(multiError(problems));
  }
  const checks = [...(d.Check ? [d.Check as D] : []), ...((d.Checks as D[]) ?? [])].map(catalogCheck);
  return {
    Node: (d.Node as string) ?? '',
    ID: (d.ID as string) ?? '',
    Address: (d.Address as string) ?? '',
    Datacenter: datacenter,
    TaggedAddresses: (d.TaggedAddresses as Record<string, string>) ?? {},
    NodeMeta: (d.NodeMeta as Record<string, string>) ?? {},
    Service: service,
    Checks: checks,
    SkipNodeUpdate: (d.SkipNodeUpdate as boolean) ?? false,
  };
}

/** Service name → the sorted union of the tags of its (filtered) catalog rows, names sorted. */
function tagsByName(rows: Array<Record<string, unknown>>): Record<string, string[]> {
  const byName = new Map<string, Set<string>>();
  for (const r of rows) {
    const tags = byName.get(r.ServiceName as string) ?? new Set<string>();
    for (const t of r.ServiceTags as string[]) tags.add(t);
    byName.set(r.ServiceName as string, tags);
  }
  return Object.fromEntries([...byName.keys()].sort().map((name) => [name, [...byName.get(name)!].sort()]));
}

export const catalogRoutes: Route[] = [
  {
    path: '/v1/catalog/register',
    methods: {
      PUT: async (req, api) => {
        checkDatacenter(req, api.config.datacenter);
        const d = (decode(parseJson(await req.body(BODY_LIMIT, tooLarge)), REGISTER) ?? {}) as D; // a body of null is {}, as in Consul
        const r = registerRequest(d, api.config.datacenter);
        return json(await api.backend.submit((tx) => registerTx(tx, r)));
      },
    },
  },
  {
    path: '/v1/catalog/deregister',
    methods: {
      PUT: async (req, api) => {
        checkDatacenter(req, api.config.datacenter);
        const d = (decode(parseJson(await req.body(BODY_LIMIT, tooLarge)), DEREGISTER) ?? {}) as D; // a body of null is {}, as in Consul
        if (d.Datacenter && d.Datacenter !== api.config.datacenter) throw new NoPathToDatacenterError();
        await api.backend.submit((tx) => deregisterTx(tx, { Node: (d.Node as string) ?? '', ServiceID: d.ServiceID as string, CheckID: d.CheckID as string }));
        return json(true);
      },
    },
  },
  {
    path: '/v1/catalog/datacenters',
    methods: { GET: (_req, api) => json(api.wan ? api.wan.datacenters() : [api.config.datacenter]) },
  },
  {
    path: '/v1/catalog/nodes',
    methods: {
      GET: (req, api) => {
        const meta = nodeMeta(req);
        return read(req, api, (s, ws) => catalogNodes(s, ws, meta), (nodes, f) => json(filterList(nodes.map(nodeView), f)), { filter: NODE_FIELDS });
      },
    },
  },
  {
    path: '/v1/catalog/services',
    methods: {
      GET: (req, api) => {
        const meta = nodeMeta(req);
        // A filter selects instances (catalog/service rows); the answer aggregates those that match.
        if (req.query.get('filter')) {
          const rows = (s: StateStore, ws: WatchSet) => catalogServiceInstances(s, ws, meta);
          return read(req, api, rows, (v, f) => json(tagsByName(filterList(v.map((r) => catalogServiceView(r.node, r.service)), f))), { filter: SERVICE_NODE_FIELDS, agentCached: true });
        }
        return read(req, api, (s, ws) => catalogServices(s, ws, meta), (services) => json(services), { agentCached: true });
      },
    },
  },
  {
    path: '/v1/catalog/gateway-services/',
    prefix: true,
    methods: { GET: (req, api) => read(req, api, (s, ws) => gatewayServices(s, ws, req.param), (rows) => json(rows)) },
  },
  {
    path: '/v1/catalog/connect/',
    prefix: true,
    methods: {
      GET: (req, api) => {
        const q = { tags: tags(req), nodeMeta: nodeMeta(req) };
        const view = (rows: Array<{ node: Node; service: Service }>, f?: Filter) => json(filterList(rows.map((r) => catalogServiceView(r.node, r.service)), f));
        return read(req, api, (s, ws) => catalogConnect(s, ws, req.param, q), view, { filter: SERVICE_NODE_FIELDS });
      },
    },
  },
  {
    path: '/v1/catalog/service/',
    prefix: true,
    methods: {
      GET: (req, api) => {
        const q = { tags: tags(req), nodeMeta: nodeMeta(req) };
        const view = (rows: Array<{ node: Node; service: Service }>, f?: Filter) => json(filterList(rows.map((r) => catalogServiceView(r.node, r.service)), f));
        return read(req, api, (s, ws) => catalogService(s, ws, req.param, q), view, { cache: (s) => serviceIndex(s, req.param), filter: SERVICE_NODE_FIELDS, agentCached: true });
      },
    },
  },
  {
    path: '/v1/catalog/node/',
    prefix: true,
    methods: {
      GET: (req, api) =>
        read(req, api, (s, ws) => catalogNode(s, ws, req.param), (v, f) => {
          if (!v) return json(null);
          return json({ Node: nodeView(v.node), Services: filterValues(Object.fromEntries(v.services.map((s) => [s.ID, serviceView(s)])), f) });
        }, { filter: SERVICE_FIELDS }),
    },
  },
  {
    path: '/v1/catalog/node-services/',
    prefix: true,
    methods: {
      GET: (req, api) =>
        read(req, api, (s, ws) => catalogNode(s, ws, req.param), (v, f) => {
          if (!v) return json({ Node: null, Services: null });
          return json({ Node: nodeView(v.node), Services: filterList(v.services.map(serviceView), f) });
        }, { filter: SERVICE_FIELDS }),
    },
  },
];
