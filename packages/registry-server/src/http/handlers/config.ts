import { configEntryDeleteTx, configEntrySetTx } from '../../commands/config-entry.js';
import { BadRequestError, InvalidWriteError, NotFoundError } from '../../errors.js';
import type { Route } from '../api.js';
import type { ApiRequest } from '../api-request.js';
import { decodeConfigEntry, isConfigEntryKind } from '../config-entry-decode.js';
import { parseJson } from '../decode.js';
import { checkDatacenter, uintParam } from '../query-params.js';
import { read } from '../read.js';
import { json } from '../reply.js';
import { BODY_LIMIT, tooLarge } from './body-limit.js';

/** `:kind` or `:kind/:name` of /v1/config/… (the name may hold `/`). */
function kindAndName(req: ApiRequest): { kind: string; name: string } {
  const slash = req.param.indexOf('/');
  return slash < 0 ? { kind: req.param, name: '' } : { kind: req.param.slice(0, slash), name: req.param.slice(slash + 1) };
}

/**
 * Config entries, kept as data (`service-defaults`, `proxy-defaults`, `ingress-gateway`,
 * `terminating-gateway`): PUT /v1/config (?cas), GET /v1/config/:kind (blocking) and
 * /v1/config/:kind/:name, DELETE /v1/config/:kind/:name, answered as Consul 1.8.7 answers.
 */
export const configRoutes: Route[] = [
  {
    path: '/v1/config',
    methods: {
      PUT: async (req, api) => {
        checkDatacenter(req, api.config.datacenter);
        const entry = decodeConfigEntry(parseJson(await req.body(BODY_LIMIT, tooLarge)));
        const cas = uintParam(req, 'cas', 'Bad request: Request decoding failed: invalid cas index');
        return json(await api.backend.submit((tx) => configEntrySetTx(tx, entry, cas)));
      },
    },
  },
  {
    path: '/v1/config/',
    prefix: true,
    methods: {
      GET: (req, api) => {
        const { kind, name } = kindAndName(req);
        if (!isConfigEntryKind(kind)) throw new InvalidWriteError(`invalid config entry kind: ${kind}`);
        if (!name) {
          return read(req, api, (s, ws) => {
            ws.add(`config:${kind}`, 'config');
            return { index: Math.max(1, s.index.get(`config:${kind}`)), value: s.configs.ofKind(kind) };
          }, (list) => json(list));
        }
        return read(req, api, (s, ws) => {
          ws.add(`config:${kind}`, 'config');
          return { index: Math.max(1, s.index.get(`config:${kind}`)), value: s.configs.get(kind, name) };
        }, (entry) => {
          if (!entry) throw new NotFoundError(`Config entry not found for ${JSON.stringify(kind)} / ${JSON.stringify(name)}`);
          return json(entry);
        });
      },
      DELETE: async (req, api) => {
        checkDatacenter(req, api.config.datacenter);
        const { kind, name } = kindAndName(req);
        // Consul checks these in this order, with these statuses.
        if (!name) throw new NotFoundError('Must provide both a kind and name to delete');
        if (!isConfigEntryKind(kind)) throw new BadRequestError(`invalid config entry kind: ${kind}`);
        await api.backend.submit((tx) => configEntryDeleteTx(tx, kind, name));
        return json({});
      },
    },
  },
];
