import http from 'node:http';
import { decode } from '../http/decode.js';
import { ANNOUNCEMENT_SCHEMA, checkAnnouncement, type Announcement } from './member.js';

/** The internal endpoint agents announce themselves on. */
export const ANNOUNCE_PATH = '/v1/internal/praetor/members';

/**
 * Sends this agent's announcement to the agent at `baseUrl` and returns that agent's own.
 * Rejects with an Error whose message says why (connection refused, timeout, not a Praetor
 * agent, refused), for logs and for a failed join's text. No connection is kept alive, so a
 * stopped agent leaves no sockets behind.
 */
export function announce(baseUrl: string, body: Announcement, timeoutMs: number, signal?: AbortSignal): Promise<Announcement> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(ANNOUNCE_PATH, baseUrl),
      { method: 'PUT', agent: false, signal, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode === 404 || res.statusCode === 405) {
            reject(new Error(`${baseUrl} answered ${res.statusCode}: not a Praetor agent (a Praetor agent's HTTP address is needed; Consul agents cannot be joined)`));
            return;
          }
          if (res.statusCode !== 200) {
            reject(new Error(`${baseUrl} refused: ${text.trim() || `status ${res.statusCode}`}`));
            return;
          }
          try {
            resolve(checkAnnouncement(decode(JSON.parse(text), ANNOUNCEMENT_SCHEMA) as Partial<Announcement>));
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
