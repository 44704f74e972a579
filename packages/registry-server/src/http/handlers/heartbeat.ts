import { BadRequestError, MemberLimitError } from '../../errors.js';
import { MAX_LEASED_MEMBERS } from '../../membership/member-limits.js';
import { HEARTBEAT_PATH, type HeartbeatAnswer } from '../../membership/heartbeat.js';
import { memberGoneTx } from '../../membership/member-catalog.js';
import type { Api, Route } from '../api.js';
import { readAnnouncement, signedAnswer } from './signed-announcement.js';

/** How many members the datacenter has: this server's list, the other servers, the client members. */
function memberCount(api: Api): number {
  const known = api.members.list();
  const names = new Set(known.map((m) => m.name));
  return known.length + api.cluster.servers().filter((s) => !names.has(s.name)).length + (api.leases?.size() ?? 0);
}

/**
 * PUT /v1/internal/praetor/heartbeat (membership/heartbeat.ts): a client agent's heartbeat,
 * authenticated like the announcement when `encrypt` is set, its answer signed likewise.
 */
export const heartbeatRoutes: Route[] = [
  {
    path: HEARTBEAT_PATH,
    methods: {
      PUT: async (req, api) => {
        const { a, nonce } = await readAnnouncement(req, api);
        const leases = api.leases;
        if (!api.config.server || !leases) throw new BadRequestError('this agent is not a server: client agents heartbeat to servers');
        if (a.Datacenter !== api.config.datacenter) {
          throw new BadRequestError(`${a.Name} is in datacenter ${JSON.stringify(a.Datacenter)}, this server in ${JSON.stringify(api.config.datacenter)}: a client heartbeats to the servers of its own datacenter`);
        }
        if (a.Name === api.agent.node || api.cluster.servers().some((s) => s.name === a.Name)) {
          throw new BadRequestError(`node name ${JSON.stringify(a.Name)} is a server's; every agent needs its own -node name`);
        }
        // A bound on new names, so a flood of made-up members cannot grow the records without end.
        if (leases.size() >= MAX_LEASED_MEMBERS && !leases.list().some((m) => m.announcement.Name === a.Name)) throw new MemberLimitError(MAX_LEASED_MEMBERS);
        await leases.heartbeat(a);
        if (a.Status === 'left') await api.backend.submit((tx) => memberGoneTx(tx, a.Name));
        const answer: HeartbeatAnswer = {
          Servers: api.cluster.servers().map((s) => s.http).filter((h) => h !== ''),
          IntervalMs: Math.floor(api.config.memberTimeout / 3),
          Members: memberCount(api),
          ...(api.dns ? { DNS: api.dns } : {}),
        };
        return signedAnswer(api, nonce, answer);
      },
    },
  },
];
