import { CHECK_REGISTER_SCHEMA, normalizeCheck } from '../../agent/check-definition.js';
import { VERSION } from '../../agent/agent.js';
import { SERVICE_SCHEMA, normalizeService } from '../../agent/service-definition.js';
import { BadRequestError, InternalError, NotFoundError } from '../../errors.js';
import { filterValues, type Filter } from '../../filter/filter.js';
import type { StructType } from '../../filter/schema.js';
import { CHECK_FIELDS, SERVICE_FIELDS } from '../../filter/schemas.js';
import { worst, type AggregatedStatus } from '../../agent/service-health.js';
import { CHECK_STATUSES, type CheckStatus } from '../../structs/check.js';
import { serviceNameDnsWarning } from '../../structs/service.js';
import type { Service } from '../../structs/service.js';
import type { QueryResult } from '../../state/queries/result.js';
import type { StateStore } from '../../state/state-store.js';
import type { WatchSet } from '../../state/watch-set.js';
import type { Api, Route } from '../api.js';
import type { ApiRequest } from '../api-request.js';
import { decode, object, parseJson } from '../decode.js';
import { blockingQuery } from '../blocking-query.js';
import { flag, queryOptions } from '../query-params.js';
import { read } from '../read.js';
import { json, type Reply } from '../reply.js';
import { agentServiceContentHash } from '../content-hash.js';
import { agentServiceView, checkView } from '../views.js';
import { BODY_LIMIT, tooLarge } from './body-limit.js';
import { agentSelf } from './agent-self.js';

type D = Record<string, unknown>;

const CHECK_UPDATE = object({ Status: 'string', Output: 'string' });

/** A JSON object body; a body of `null` is an empty object, as in Consul. */
async function body(req: ApiRequest, schema: Parameters<typeof decode>[1]): Promise<D> {
  return (decode(parseJson(await req.body(BODY_LIMIT, tooLarge)), schema) ?? {}) as D;
}

/** Reads on the agent's own node block on that node's index; `filter` is the shape of the listed items. */
function localRead<T>(req: ApiRequest, api: Api, pick: () => T, view: (v: T, f?: Filter) => Reply, filter?: StructType): Reply | Promise<Reply> {
  const key = `node:${api.agent.node}`;
  return read(
    req,
    api,
    (s, ws) => {
      ws.add(key, 'nodes');
      return { index: Math.max(1, s.index.get(key)), value: pick() };
    },
    view,
    { filter },
  );
}

function enableParam(req: ApiRequest): boolean {
  const v = req.query.get('enable');
  if (v === null) throw new BadRequestError('Missing value for enable');
  if (!['true', 'false'].includes(v)) throw new BadRequestError(`Invalid value for enable: ${JSON.stringify(v)}`);
  return v === 'true';
}

/**
 * GET /v1/agent/service/:id: the service with its ContentHash. Blocks on `?hash=` (not on
 * ?index, as in Consul): while the service still hashes to it, until it changes or ?wait runs out.
 */
function agentService(req: ApiRequest, api: Api): Reply | Promise<Reply> {
  const hash = req.query.get('hash') ?? '';
  const opts = queryOptions(req, api.config);
  const key = `node:${api.agent.node}`;
  const query = (_s: StateStore, ws: WatchSet) => {
    ws.add(key, 'nodes');
    const svc = api.agent.localService(req.param);
    return { index: 1, value: svc && { svc, hash: agentServiceContentHash(svc) } };
  };
  const answer = (res: QueryResult<{ svc: Service; hash: string } | undefined>): Reply => {
    if (!res.value) throw new NotFoundError(`unknown service ID: ${req.param}`);
    const { svc, hash: now } = res.value;
    // ContentHash goes before Proxy and Connect, as in Consul's api.AgentService.
    const { Proxy, Connect, ...view } = agentServiceView(svc);
    return { json: { ...view, ContentHash: now, Proxy, Connect }, headers: { 'X-Consul-Contenthash': now } };
  };
  const res = blockingQuery(api.store, req, { ...opts, minIndex: hash ? 1 : 0 }, query, (r) => r.value?.hash !== hash);
  return res instanceof Promise ? res.then(answer) : answer(res);
}

const STATUS_CODE: Record<AggregatedStatus, number> = { passing: 200, warning: 429, critical: 503, maintenance: 503 };

function serviceHealth(api: Api, s: Service): { status: AggregatedStatus; view: D } {
  const { status, checks } = api.agent.serviceHealth(s);
  return { status, view: { AggregatedStatus: status, Service: agentServiceView(s), Checks: checks.map(checkView) } };
}

function textWanted(req: ApiRequest): boolean {
  return req.query.get('format') === 'text' || (req.header('accept') ?? '').includes('text/plain');
}

function ttlRoute(path: string, status: CheckStatus): Route {
  return {
    path,
    prefix: true,
    methods: {
      PUT: async (req, api) => {
        await api.agent.updateTtl(req.param, status, req.query.get('note') ?? '');
        return { status: 200 };
      },
    },
  };
}

export const agentRoutes: Route[] = [
  { path: '/v1/agent/self', methods: { GET: (_req, api) => json(agentSelf(api)) } },
  { path: '/v1/agent/version', methods: { GET: () => json({ HumanVersion: VERSION, BuildDate: '' }) } },
  {
    path: '/v1/agent/services',
    methods: {
      GET: (req, api) =>
        localRead(
          req,
          api,
          () => api.agent.localServices(),
          (list, f) => json(filterValues(Object.fromEntries(list.map((s) => [s.ID, agentServiceView(s)])), f)),
          SERVICE_FIELDS,
        ),
    },
  },
  {
    path: '/v1/agent/service/register',
    methods: {
      PUT: async (req, api) => {
        const def = normalizeService(await body(req, SERVICE_SCHEMA), api.agent.scriptRules());
        const dnsWarning = serviceNameDnsWarning(def.service.Service);
        if (dnsWarning) api.log.warn(dnsWarning, { service: def.service.Service });
        await api.agent.registerService(def, flag(req, 'replace-existing-checks'));
        return { status: 200 };
      },
    },
  },
  {
    path: '/v1/agent/service/deregister/',
    prefix: true,
    methods: {
      PUT: async (req, api) => {
        await api.agent.deregisterService(req.param);
        return { status: 200 };
      },
    },
  },
  {
    path: '/v1/agent/service/maintenance/',
    prefix: true,
    methods: {
      PUT: async (req, api) => {
        const enable = enableParam(req);
        await api.agent.setServiceMaintenance(req.param, enable, req.query.get('reason') ?? '');
        return { status: 200 };
      },
    },
  },
  {
    path: '/v1/agent/service/',
    prefix: true,
    methods: {
      GET: agentService,
    },
  },
  {
    path: '/v1/agent/reload',
    methods: {
      PUT: async (_req, api) => {
        if (!api.reload) throw new InternalError('this agent cannot reload its configuration');
        await api.reload();
        return { status: 200 };
      },
    },
  },
  {
    path: '/v1/agent/maintenance',
    methods: {
      PUT: async (req, api) => {
        const enable = enableParam(req);
        await api.agent.setNodeMaintenance(enable, req.query.get('reason') ?? '');
        return { status: 200 };
      },
    },
  },
  {
    path: '/v1/agent/checks',
    methods: {
      GET: (req, api) =>
        localRead(req, api, () => api.agent.localChecks(), (list, f) => json(filterValues(Object.fromEntries(list.map((c) => [c.CheckID, checkView(c)])), f)), CHECK_FIELDS),
    },
  },
  {
    path: '/v1/agent/check/register',
    methods: {
      PUT: async (req, api) => {
        const d = await body(req, CHECK_REGISTER_SCHEMA);
        if (!d.Name) throw new BadRequestError('Missing check name');
        const c = normalizeCheck(d, { CheckID: '', Name: '', ServiceID: '' }, api.agent.scriptRules());
        if (!c) throw new BadRequestError('Missing check name');
        await api.agent.registerCheck(c);
        return { status: 200 };
      },
    },
  },
  {
    path: '/v1/agent/check/deregister/',
    prefix: true,
    methods: {
      PUT: async (req, api) => {
        await api.agent.deregisterCheck(req.param);
        return { status: 200 };
      },
    },
  },
  ttlRoute('/v1/agent/check/pass/', 'passing'),
  ttlRoute('/v1/agent/check/warn/', 'warning'),
  ttlRoute('/v1/agent/check/fail/', 'critical'),
  {
    path: '/v1/agent/check/update/',
    prefix: true,
    methods: {
      PUT: async (req, api) => {
        const d = await body(req, CHECK_UPDATE);
        const status = (d.Status as string) ?? '';
        if (!CHECK_STATUSES.includes(status as CheckStatus)) throw new BadRequestError(`Invalid check status: '${status}'`);
        await api.agent.updateTtl(req.param, status as CheckStatus, (d.Output as string) ?? '');
        return { status: 200 };
      },
    },
  },
  {
    path: '/v1/agent/health/service/name/',
    prefix: true,
    methods: {
      GET: (req, api) => {
        const list = api.agent.localServices().filter((s) => s.Service === req.param).map((s) => serviceHealth(api, s));
        if (list.length === 0) {
          return textWanted(req) ? { status: 404, body: `ServiceName ${req.param} Not Found`, contentType: 'text/plain' } : { status: 404, json: [] };
        }
        const status = worst(list.map((h) => h.status));
        const code = STATUS_CODE[status];
        return textWanted(req) ? { status: code, body: status, contentType: 'text/plain' } : { status: code, json: list.map((h) => h.view) };
      },
    },
  },
  {
    path: '/v1/agent/health/service/id/',
    prefix: true,
    methods: {
      GET: (req, api) => {
        const s = api.agent.localService(req.param);
        if (!s) {
          return textWanted(req)
            ? { status: 404, body: `ServiceId ${req.param} not found`, contentType: 'text/plain' }
            : { status: 404, json: { AggregatedStatus: 'critical', Service: null, Checks: null } };
        }
        const h = serviceHealth(api, s);
        return textWanted(req) ? { status: STATUS_CODE[h.status], body: h.status, contentType: 'text/plain' } : { status: STATUS_CODE[h.status], json: h.view };
      },
    },
  },
];
