import { randomUUID } from 'node:crypto';
import { sessionCreateTx } from '../../commands/session-create.js';
import { sessionDestroyTx } from '../../commands/session-destroy.js';
import { BadRequestError, InvalidWriteError, NotFoundError } from '../../errors.js';
import { formatDuration, parseDuration } from '../../internal/duration.js';
import { nodeSessions, sessionInfo, sessionList } from '../../state/queries/session.js';
import type { ServiceCheckRef, SessionBehavior } from '../../structs/session.js';
import { sessionJson } from '../../structs/session.js';
import type { Api, Route } from '../api.js';
import type { ApiRequest } from '../api-request.js';
import { decode, lenientObject, parseJson } from '../decode.js';
import { checkDatacenter, sessionIdParam } from '../query-params.js';
import { read } from '../read.js';
import { json } from '../reply.js';
import { BODY_LIMIT, tooLarge } from './body-limit.js';

/** Consul decodes this body leniently: unknown fields are ignored. */
const CREATE_SCHEMA = lenientObject({
  Name: 'string',
  Node: 'string',
  LockDelay: 'any',
  Behavior: 'string',
  TTL: 'string',
  Checks: 'strings',
  NodeChecks: 'strings',
  ServiceChecks: { array: lenientObject({ ID: 'string', Namespace: 'string' }) },
});

const MAX_TTL_MS = 86_400_000;
const DEFAULT_LOCK_DELAY_NS = 15e9;

interface CreateBody {
  Name?: string;
  Node?: string;
  LockDelay?: unknown;
  Behavior?: string;
  TTL?: string;
  Checks?: string[];
  NodeChecks?: string[];
  ServiceChecks?: Array<{ ID?: string; Namespace?: string }>;
}

/**
 * LockDelay: a Go duration, or a number: nanoseconds, except below 1000 where Consul reads seconds.
 * Always whole nanoseconds (Go's Duration is an integer), within what the state can hold exactly.
 */
function lockDelayNs(v: unknown): number {
  if (v === undefined) return DEFAULT_LOCK_DELAY_NS;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return wholeNs(v < 1000 ? v * 1e9 : v);
  if (typeof v === 'string') {
    let ms: number;
    try {
      ms = parseDuration(v);
    } catch (err) {
      throw new BadRequestError(`Request decode failed: LockDelay: ${(err as Error).message}`);
    }
    if (ms >= 0) return wholeNs(ms * 1e6);
  }
  // A body Consul cannot decode is a 400 there, not a refused write.
  throw new BadRequestError(`Request decode failed: LockDelay must be a duration such as "15s"`);
}

function wholeNs(ns: number): number {
  const whole = Math.floor(ns);
  if (!Number.isSafeInteger(whole)) throw new BadRequestError(`Request decode failed: LockDelay: ${ns} ns is out of range (at most ${Number.MAX_SAFE_INTEGER} ns)`);
  return whole;
}

function ttlParam(ttl: string, minMs: number): string {
  if (ttl === '') return '';
  let ms: number;
  try {
    ms = parseDuration(ttl);
  } catch (err) {
    throw new InvalidWriteError(`Session TTL '${ttl}' invalid: time: ${(err as Error).message}`);
  }
  if (ms !== 0 && (ms < minMs || ms > MAX_TTL_MS)) {
    throw new InvalidWriteError(`Invalid Session TTL '${Math.round(ms * 1e6)}', must be between [${formatDuration(minMs)}=${formatDuration(MAX_TTL_MS)}]`);
  }
  return ms === 0 ? '' : ttl;
}

async function create(req: ApiRequest, api: Api) {
  checkDatacenter(req, api.config.datacenter);
  const raw = await req.body(BODY_LIMIT, tooLarge);
  const b = ((raw.length === 0 ? {} : decode(parseJson(raw), CREATE_SCHEMA)) ?? {}) as CreateBody; // a body of null is {}, as in Consul
  const behavior = b.Behavior || 'release';
  if (behavior !== 'release' && behavior !== 'delete') throw new InvalidWriteError(`Invalid Behavior setting '${behavior}'`);
  // The deprecated Checks join NodeChecks; with neither, a session is bound to serfHealth.
  const nodeChecks = b.Checks === undefined && b.NodeChecks === undefined ? ['serfHealth'] : [...new Set([...(b.Checks ?? []), ...(b.NodeChecks ?? [])])];
  const serviceChecks: ServiceCheckRef[] | null = b.ServiceChecks?.length ? b.ServiceChecks.map((c) => ({ ID: c.ID ?? '', Namespace: c.Namespace ?? '' })) : null;
  const session = {
    ID: randomUUID(),
    Name: b.Name ?? '',
    Node: b.Node || api.agent.node,
    LockDelay: lockDelayNs(b.LockDelay),
    Behavior: behavior as SessionBehavior,
    TTL: ttlParam(b.TTL ?? '', api.config.sessionTtlMin),
    NodeChecks: nodeChecks,
    ServiceChecks: serviceChecks,
  };
  const id = await api.backend.submit((tx) => sessionCreateTx(tx, session));
  return json({ ID: id });
}

async function destroy(req: ApiRequest, api: Api) {
  checkDatacenter(req, api.config.datacenter);
  const id = sessionIdParam(req.param);
  await api.backend.submit((tx) => sessionDestroyTx(tx, id));
  return json(true);
}

async function renew(req: ApiRequest, api: Api) {
  checkDatacenter(req, api.config.datacenter);
  const s = await api.sessions.renew(sessionIdParam(req.param));
  if (!s) throw new NotFoundError(`Session id '${req.param}' not found`);
  return json([sessionJson(s)]);
}

const list = (v: Parameters<typeof sessionJson>[0][]) => json(v.map(sessionJson));

export const sessionRoutes: Route[] = [
  { path: '/v1/session/create', methods: { PUT: create } },
  { path: '/v1/session/destroy/', prefix: true, methods: { PUT: destroy } },
  { path: '/v1/session/renew/', prefix: true, methods: { PUT: renew } },
  {
    path: '/v1/session/info/',
    prefix: true,
    methods: {
      GET: (req, api) => {
        const id = sessionIdParam(req.param);
        return read(req, api, (s, ws) => sessionInfo(s, ws, id), list);
      },
    },
  },
  { path: '/v1/session/node/', prefix: true, methods: { GET: (req, api) => read(req, api, (s, ws) => nodeSessions(s, ws, req.param), list) } },
  { path: '/v1/session/list', methods: { GET: (req, api) => read(req, api, (s, ws) => sessionList(s, ws), list) } },
];
