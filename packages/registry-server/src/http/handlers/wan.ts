import { BadRequestError } from '../../errors.js';
import { parseWanMessage, WAN_PATH } from '../../wan/wan-message.js';
import type { Route } from '../api.js';
import { parseJson } from '../decode.js';
import { BODY_LIMIT, tooLarge } from './body-limit.js';

/** The exchange between servers of different datacenters (wan/wan-message.ts), signed as the membership messages. */
export const wanRoutes: Route[] = [
  {
    path: WAN_PATH,
    methods: {
      PUT: async (req, api) => {
        if (!api.wan) throw new BadRequestError('this agent is not a server: only servers take part in the WAN pool');
        const raw = await req.body(BODY_LIMIT, tooLarge);
        const nonce = api.members.guard.authenticate(req.method, req.path, (name) => req.header(name), raw, req.raw.socket.remoteAddress ?? '');
        let message;
        try {
          message = parseWanMessage(parseJson(raw));
        } catch (err) {
          throw err instanceof BadRequestError ? err : new BadRequestError((err as Error).message);
        }
        const dc = message.Datacenters[0]!.Datacenter;
        if (dc === api.config.datacenter) {
          throw new BadRequestError(`the sender is in datacenter ${dc}, as this server: WAN joins name servers of other datacenters`);
        }
        const body = JSON.stringify(api.wan.heard(message));
        return { status: 200, body, contentType: 'application/json', headers: api.members.guard.answerHeaders(nonce, body) };
      },
    },
  },
];
