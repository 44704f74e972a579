import { BadRequestError } from '../../errors.js';
import { memberView } from '../../membership/member.js';
import { ANNOUNCE_PATH } from '../../membership/peer-client.js';
import { serverMembers } from '../../membership/server-members.js';
import { wanMemberViews } from '../../wan/wan-members.js';
import type { WanPool } from '../../wan/wan-pool.js';
import { leasedMember } from '../../membership/leased-member.js';
import { forceLeaveLeased } from '../../membership/leased-force-leave.js';
import type { Api, Route } from '../api.js';
import type { ApiRequest } from '../api-request.js';
import { flag } from '../query-params.js';
import { json } from '../reply.js';
import { readAnnouncement, signedAnswer } from './signed-announcement.js';

/** The WAN pool (servers of other datacenters) is a server's; force-leave does not apply to it. */
function wanPool(req: ApiRequest, api: Api): WanPool | undefined {
  if (!flag(req, 'wan')) return undefined;
  if (!api.wan) throw new BadRequestError('this agent is not a server: only servers know the WAN pool (servers of other datacenters)');
  return api.wan;
}

function refuseWan(req: ApiRequest): void {
  if (flag(req, 'wan')) throw new BadRequestError('force-leave -wan is not supported: servers of other datacenters that stop answering are failed, and forgotten after 72h');
}

/** Cluster membership (membership/member-list.ts): members, join, leave, force-leave, and the announcement peers send. */
export const memberRoutes: Route[] = [
  {
    path: '/v1/agent/members',
    methods: {
      GET: (req, api) => {
        const wan = wanPool(req, api);
        if (wan) return json(wanMemberViews(wan));
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
        const wan = wanPool(req, api);
        await (wan ? wan.join(req.param) : api.members.join(req.param));
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
        const { a, nonce, remote } = await readAnnouncement(req, api);
        return signedAnswer(api, nonce, await api.members.heard(a, remote));
      },
    },
  },
];
