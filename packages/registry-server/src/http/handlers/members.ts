import { BadRequestError } from '../../errors.js';
import { ANNOUNCEMENT_SCHEMA, checkAnnouncement, memberView, type Announcement } from '../../membership/member.js';
import { ANNOUNCE_PATH } from '../../membership/peer-client.js';
import { serverMembers } from '../../membership/server-members.js';
import { leasedMember } from '../../membership/leased-member.js';
import { forceLeaveLeased } from '../../membership/leased-force-leave.js';
import type { Route } from '../api.js';
import type { ApiRequest } from '../api-request.js';
import { decode, parseJson } from '../decode.js';
import { flag } from '../query-params.js';
import { json } from '../reply.js';
import { BODY_LIMIT, tooLarge } from './body-limit.js';

/** Praetor agents join over HTTP within one datacenter; there is no WAN pool to join or list. */
function refuseWan(req: ApiRequest): void {
  if (flag(req, 'wan')) {
    throw new BadRequestError('Praetor has no WAN pool (no gossip between datacenters): ?wan is not supported; agents of one datacenter join over HTTP');
  }
}

/** Cluster membership (membership/member-list.ts): members, join, leave, force-leave, and the announcement peers send. */
export const memberRoutes: Route[] = [
  {
    path: '/v1/agent/members',
    methods: {
      GET: (req, api) => {
        refuseWan(req);
        const members = api.members.list();
        const leased = (api.leases?.list() ?? []).map(leasedMember);
        return json([...members, ...serverMembers(api.cluster.servers(), members, api.config.datacenter), ...leased].map(memberView));
      },
    },
  },
  {
    path: '/v1/agent/join/',
    prefix: true,
    methods: {
      PUT: async (req, api) => {
        refuseWan(req);
        await api.members.join(req.param);
        return { status: 200 };
      },
    },
  },
  {
    path: '/v1/agent/leave',
    methods: {
      PUT: async (_req, api) => {
        await api.members.leave();
        return { status: 200 };
      },
    },
  },
  {
    path: '/v1/agent/force-leave/',
    prefix: true,
    methods: {
      PUT: async (req, api) => {
        refuseWan(req);
        const prune = flag(req, 'prune');
        if (!api.leases || !(await forceLeaveLeased(api.leases, api.backend, req.param, prune))) await api.members.forceLeave(req.param, prune);
        return { status: 200 };
      },
    },
  },
  {
    path: ANNOUNCE_PATH,
    methods: {
      // With an encrypt key the request must be signed (checked before anything is parsed) and
      // the answer is signed, so the exact bytes are sent as encoded here.
      PUT: async (req, api) => {
        const raw = await req.body(BODY_LIMIT, tooLarge);
        const remote = req.raw.socket.remoteAddress ?? '';
        const nonce = api.members.guard.authenticate(req.method, req.path, (name) => req.header(name), raw, remote);
        const d = decode(parseJson(raw), ANNOUNCEMENT_SCHEMA) as Partial<Announcement>;
        let a: Announcement;
        try {
          a = checkAnnouncement(d);
        } catch (err) {
          throw new BadRequestError((err as Error).message);
        }
        const body = JSON.stringify(await api.members.heard(a, remote));
        return { status: 200, body, contentType: 'application/json', headers: api.members.guard.answerHeaders(nonce, body) };
      },
    },
  },
];
