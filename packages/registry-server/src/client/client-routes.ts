import { BadRequestError } from '../errors.js';
import { agentRoutes } from '../http/handlers/agent.js';
import { readAnnouncement, signedAnswer } from '../http/handlers/signed-announcement.js';
import type { Route } from '../http/api.js';
import { flag } from '../http/query-params.js';
import { uiRoutes } from '../http/ui-files.js';
import { announcedUrl } from '../membership/member.js';
import { ANNOUNCE_PATH } from '../membership/peer-client.js';
import type { ClientLink } from './client-link.js';

/**
 * What a client agent answers itself: its agent endpoints (its services, checks, self,
 * maintenance, reload), the web UI's files, and its membership (join, leave, a server's
 * announcement). Everything else — catalog, health, KV, sessions, txn, members, status,
 * events, snapshots — is forwarded to a server (forward-to-servers.ts).
 */
export function clientRoutes(link: ClientLink, leave: () => void): Route[] {
  return [
    ...agentRoutes,
    ...uiRoutes,
    {
      path: '/v1/agent/join/',
      prefix: true,
      methods: {
        PUT: async (req) => {
          if (flag(req, 'wan')) throw new BadRequestError('a client agent cannot join the WAN pool: only servers join other datacenters (-retry-join-wan)');
          await link.join(req.param);
          return { status: 200 };
        },
      },
    },
    {
      path: '/v1/agent/leave',
      methods: {
        PUT: async () => {
          await link.leave();
          setImmediate(leave);
          return { status: 200 };
        },
      },
    },
    {
      // A server told to join this client (`praetor join CLIENT` on a server): the client uses it.
      path: ANNOUNCE_PATH,
      methods: {
        PUT: async (req, api) => {
          const { a, nonce, remote } = await readAnnouncement(req, api);
          let url: string;
          try {
            url = announcedUrl(a.Listen, remote);
          } catch (err) {
            throw new BadRequestError((err as Error).message);
          }
          if (a.Tags.role !== 'consul') throw new BadRequestError(`${a.Name} is a client agent too: client agents join servers, not each other`);
          if (a.Datacenter !== api.config.datacenter) throw new BadRequestError(`${a.Name} is a server of datacenter ${JSON.stringify(a.Datacenter)}, this agent is in ${JSON.stringify(api.config.datacenter)}`);
          link.adopt(url);
          return signedAnswer(api, nonce, api.members.announcement());
        },
      },
    },
  ];
}
