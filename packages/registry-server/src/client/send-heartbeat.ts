import { AUTH_HEADERS, responseIsSigned, signRequest } from '../membership/message-auth.js';
import type { Announcement } from '../membership/member.js';
import type { HeartbeatAnswer } from './heartbeats.js';

/** The servers' heartbeat endpoint (membership/heartbeat protocol). */
export const HEARTBEAT_PATH = '/v1/internal/praetor/heartbeat';

/**
 * One heartbeat: the announcement to the server at `baseUrl`, signed with `key` when there is
 * one (and only an answer signed with it is taken). Rejects with an Error saying why.
 */
export async function sendHeartbeat(baseUrl: string, a: Announcement, timeoutMs: number, key?: Buffer): Promise<HeartbeatAnswer> {
  const payload = JSON.stringify(a);
  const signed = key ? signRequest(key, 'PUT', HEARTBEAT_PATH, payload) : undefined;
  const res = await fetch(new URL(HEARTBEAT_PATH, baseUrl), {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', ...signed?.headers },
    body: payload,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const raw = Buffer.from(await res.arrayBuffer());
  if (res.status === 404 || res.status === 405) throw new Error(`${baseUrl} answered ${res.status}: not a Praetor server`);
  if (res.status !== 200) throw new Error(`${baseUrl} refused the heartbeat: ${raw.toString('utf8').trim() || res.status}`);
  if (key && signed && !responseIsSigned(key, signed.nonce, 200, raw, res.headers.get(AUTH_HEADERS.signature) ?? undefined)) {
    throw new Error(`${baseUrl} did not sign its answer with this agent's encrypt key (every agent of the cluster needs the same "encrypt")`);
  }
  const answer = JSON.parse(raw.toString('utf8')) as Partial<HeartbeatAnswer>;
  if (!Array.isArray(answer.Servers)) throw new Error(`${baseUrl} sent an answer without Servers: not a heartbeat answer`);
  return {
    Servers: answer.Servers.filter((s) => typeof s === 'string'),
    IntervalMs: Number(answer.IntervalMs) || 0,
    Members: Number(answer.Members) || 1,
    ...(typeof answer.DNS === 'string' && answer.DNS ? { DNS: answer.DNS } : {}),
  };
}
