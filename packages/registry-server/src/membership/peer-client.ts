import http from 'node:http';
import { decode } from '../http/decode.js';
import { ANNOUNCEMENT_SCHEMA, checkAnnouncement, type Announcement } from './member.js';
import { AUTH_HEADERS, responseIsSigned, signRequest } from './message-auth.js';

/** An announcement is a few hundred bytes; an answer past this is not one (the endpoint's own body limit). */
const MAX_ANSWER_BYTES = 512 * 1024;

/** The internal endpoint agents announce themselves on. */
export const ANNOUNCE_PATH = '/v1/internal/praetor/members';

export interface SendOptions {
  signal?: AbortSignal;
  /** The `encrypt` key: the request is signed and only an answer signed with it is accepted. */
  key?: Buffer;
  /** The connection pool to use; by default none is kept (a stopped agent leaves no sockets behind). */
  agent?: http.Agent;
}

/**
 * PUTs a membership message (`body`, JSON) to `path` of the agent at `baseUrl` and returns the
 * parsed JSON answer. Rejects with an Error whose message says why (connection refused, timeout,
 * not a Praetor agent, refused, unsigned answer), for logs and for a failed join's text. With a
 * key the request is signed and only an answer signed with the same key is accepted
 * (message-auth.ts).
 */
export function sendMembership(baseUrl: string, path: string, body: unknown, timeoutMs: number, opts: SendOptions = {}): Promise<unknown> {
  const payload = JSON.stringify(body);
  const { key, signal } = opts;
  const signed = key ? signRequest(key, 'PUT', path, payload) : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, baseUrl),
      {
        method: 'PUT',
        agent: opts.agent ?? false,
        signal,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), ...signed?.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`${baseUrl} sent an answer over ${MAX_ANSWER_BYTES} bytes: not a Praetor agent's answer`));
          else chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const text = raw.toString('utf8');
          if (res.statusCode === 404 || res.statusCode === 405) {
            reject(new Error(`${baseUrl} answered ${res.statusCode}: not a Praetor agent (a Praetor agent's HTTP address is needed; Consul agents cannot be joined)`));
            return;
          }
          if (res.statusCode !== 200) {
            reject(new Error(`${baseUrl} refused: ${text.trim() || `status ${res.statusCode}`}`));
            return;
          }
          const sig = res.headers[AUTH_HEADERS.signature];
          if (key && signed && !responseIsSigned(key, signed.nonce, 200, raw, Array.isArray(sig) ? sig[0] : sig)) {
            reject(new Error(`${baseUrl} did not sign its answer with this agent's encrypt key: it has no key or another one (every agent of the cluster needs the same "encrypt")`));
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch (err) {
            reject(new Error(`${baseUrl} sent an invalid answer: ${(err as Error).message}`));
          }
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${baseUrl} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Sends this agent's announcement to the agent at `baseUrl` and returns that agent's own
 * (sendMembership's errors, or one saying the answer is not an announcement).
 */
export async function announce(baseUrl: string, body: Announcement, timeoutMs: number, signal?: AbortSignal, key?: Buffer): Promise<Announcement> {
  const answer = await sendMembership(baseUrl, ANNOUNCE_PATH, body, timeoutMs, { signal, key });
  try {
    return checkAnnouncement(decode(answer, ANNOUNCEMENT_SCHEMA) as Partial<Announcement>);
  } catch (err) {
    throw new Error(`${baseUrl} sent an invalid answer: ${(err as Error).message}`);
  }
}
