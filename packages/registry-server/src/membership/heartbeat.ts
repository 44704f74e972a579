import type http from 'node:http';
import { decode, object, type Schema } from '../http/decode.js';
import type { Announcement } from './member.js';
import { sendMembership } from './peer-client.js';

/**
 * Client agents attach to the servers by heartbeat: every HeartbeatAnswer.IntervalMs a client
 * PUTs its Announcement (Tags.role `node`) here on one server of its datacenter, signed like the
 * announcement when `encrypt` is set. Each heartbeat keeps the client's liveness lease alive on
 * every server (member-leases.ts); a client that stops for member_timeout is failed. Status
 * `left` is a graceful leave: its node leaves the catalog at once.
 */
export const HEARTBEAT_PATH = '/v1/internal/praetor/heartbeat';

/** A server's answer to a heartbeat. */
export interface HeartbeatAnswer {
  /** The HTTP addresses (host:port) of the live servers of the datacenter. */
  Servers: string[];
  /** How often the client must heartbeat (ms): member_timeout / 3. */
  IntervalMs: number;
  /** How many members the datacenter has (servers and clients), to scale the sync interval by. */
  Members: number;
  /** The answering server's DNS interface (`host:port`), where a client relays DNS questions; absent when it has none. */
  DNS?: string;
}

const ANSWER_SCHEMA: Schema = object({ Servers: 'strings', IntervalMs: 'uint', Members: 'uint', DNS: 'string' });

/**
 * Sends one heartbeat to the server at `baseUrl` and returns its answer. Rejects with an Error
 * saying why (sendMembership's reasons, or an answer that is not a heartbeat answer). Pass a
 * keep-alive `agent` to reuse one connection across heartbeats.
 */
export async function heartbeat(baseUrl: string, announcement: Announcement, timeoutMs: number, key?: Buffer, agent?: http.Agent): Promise<HeartbeatAnswer> {
  const raw = await sendMembership(baseUrl, HEARTBEAT_PATH, announcement, timeoutMs, { key, agent });
  let d: Partial<HeartbeatAnswer>;
  try {
    d = decode(raw, ANSWER_SCHEMA) as Partial<HeartbeatAnswer>;
  } catch (err) {
    throw new Error(`${baseUrl} sent an invalid heartbeat answer: ${(err as Error).message}`);
  }
  if (!d.Servers || d.IntervalMs === undefined || d.Members === undefined) throw new Error(`${baseUrl} sent an invalid heartbeat answer: it lacks Servers, IntervalMs or Members`);
  return { Servers: d.Servers, IntervalMs: d.IntervalMs, Members: d.Members, ...(d.DNS ? { DNS: d.DNS } : {}) };
}
