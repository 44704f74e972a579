import { BadRequestError } from '../../errors.js';
import { userEventJson } from '../../events/user-event.js';
import type { EventList } from '../../events/user-events.js';
import type { QueryResult } from '../../state/queries/result.js';
import type { Api, Route } from '../api.js';
import type { ApiRequest } from '../api-request.js';
import { blockingQuery } from '../blocking-query.js';
import { checkDatacenter, queryOptions } from '../query-params.js';
import { json, type Reply } from '../reply.js';
import { BODY_LIMIT, tooLarge } from './body-limit.js';

/** PUT /v1/event/fire/:name: the body is the payload; ?node, ?service, ?tag are regexp filters. */
async function fire(req: ApiRequest, api: Api): Promise<Reply> {
  if (req.param === '') throw new BadRequestError('Missing name');
  checkDatacenter(req, api.config.datacenter);
  const body = await req.body(BODY_LIMIT, tooLarge);
  const q = req.query;
  const event = api.agent.events.fire({
    Name: req.param,
    Payload: body.length === 0 ? null : Buffer.from(body),
    NodeFilter: q.get('node') ?? '',
    ServiceFilter: q.get('service') ?? '',
    TagFilter: q.get('tag') ?? '',
  });
  return json(userEventJson(event));
}

/**
 * GET /v1/event/list: this agent's events, oldest first, ?name only. As in Consul 1.8, the
 * documented ?node/?service/?tag and ?dc are not applied to the list. X-Consul-Index is a hash
 * of the newest listed event's ID, so a blocking list answers once it differs from the client's
 * index (not once it is greater), and the only header is X-Consul-Index, as Consul's.
 */
function list(req: ApiRequest, api: Api): Reply | Promise<Reply> {
  const opts = queryOptions(req, api.config);
  // queryOptions checked ?index is a uint64; compare it exactly (event indexes exceed 2^53).
  const clientIndex = BigInt(req.query.get('index') ?? '0');
  const name = req.query.get('name') ?? '';
  const res = blockingQuery(
    api.store,
    req,
    opts,
    (_store, ws) => {
      const value = api.agent.events.list(ws, name);
      return { index: Number(value.index), value };
    },
    (r) => r.value.index !== clientIndex,
  );
  return res instanceof Promise ? res.then(listReply) : listReply(res);
}

function listReply({ value }: QueryResult<EventList>): Reply {
  return { json: value.events.map(userEventJson), headers: { 'X-Consul-Index': value.index.toString() } };
}

export const eventRoutes: Route[] = [
  { path: '/v1/event/fire/', prefix: true, methods: { PUT: fire } },
  { path: '/v1/event/list', methods: { GET: list } },
];
