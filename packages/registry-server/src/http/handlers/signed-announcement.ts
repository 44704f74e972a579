import { BadRequestError } from '../../errors.js';
import { ANNOUNCEMENT_SCHEMA, checkAnnouncement, type Announcement } from '../../membership/member.js';
import type { Api } from '../api.js';
import type { ApiRequest } from '../api-request.js';
import { decode, parseJson } from '../decode.js';
import type { Reply } from '../reply.js';
import { BODY_LIMIT, tooLarge } from './body-limit.js';

/**
 * The announcement a membership message carries (announce, heartbeat). With an encrypt key the
 * request must be signed, which is checked before anything is parsed (403 otherwise); the nonce
 * is for signing the answer (signedAnswer).
 */
export async function readAnnouncement(req: ApiRequest, api: Api): Promise<{ a: Announcement; nonce: string | undefined; remote: string }> {
  const raw = await req.body(BODY_LIMIT, tooLarge);
  const remote = req.raw.socket.remoteAddress ?? '';
  const nonce = api.members.guard.authenticate(req.method, req.path, (name) => req.header(name), raw, remote);
  try {
    return { a: checkAnnouncement(decode(parseJson(raw), ANNOUNCEMENT_SCHEMA) as Partial<Announcement>), nonce, remote };
  } catch (err) {
    throw err instanceof BadRequestError ? err : new BadRequestError((err as Error).message);
  }
}

/** A 200 JSON answer to a membership message, signed when the request was: the exact bytes signed are the ones sent. */
export function signedAnswer(api: Api, nonce: string | undefined, value: unknown): Reply {
  const body = JSON.stringify(value);
  return { status: 200, body, contentType: 'application/json', headers: api.members.guard.answerHeaders(nonce, body) };
}
