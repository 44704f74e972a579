import { isIP } from 'node:net';
import { object, type Schema } from '../http/decode.js';

/**
 * Membership without gossip. Consul agents find each other through serf; Praetor agents have no
 * serf port, so they talk over their HTTP API instead: `join` takes another agent's HTTP
 * host:port, each agent announces itself to the members it knows (PUT
 * /v1/internal/praetor/members), and that announcement, repeated every few seconds, is also
 * the liveness probe.
 */

/** A member's state, with serf's names. */
export type MemberStatus = 'alive' | 'leaving' | 'left' | 'failed';

/** Serf's numbers for the states, as /v1/agent/members returns them. */
export const MEMBER_STATUS_CODES: Readonly<Record<MemberStatus, number>> = { alive: 1, leaving: 2, left: 3, failed: 4 };

/** The port `praetor join HOST` means when it names none: the default HTTP port. */
export const DEFAULT_JOIN_PORT = 8500;

/** What an agent tells a peer about itself: the body, and the answer, of PUT /v1/internal/praetor/members. */
export interface Announcement {
  Name: string;
  ID: string;
  Datacenter: string;
  /** The node's address (its -bind), which the catalog records. */
  Addr: string;
  /** Where its HTTP API listens: `host:port` each. */
  Listen: string[];
  Tags: Record<string, string>;
  /** Node metadata, which the catalog records. */
  Meta: Record<string, string>;
  /** `left` when the agent is leaving the cluster for good. */
  Status: 'alive' | 'left';
}

export const ANNOUNCEMENT_SCHEMA: Schema = object({
  Name: 'string',
  ID: 'string',
  Datacenter: 'string',
  Addr: 'string',
  Listen: 'strings',
  Tags: 'strmap',
  Meta: 'strmap',
  Status: 'string',
});

/** One member as this agent sees it. */
export interface Member {
  name: string;
  id: string;
  datacenter: string;
  /** The node address, for the catalog. */
  nodeAddr: string;
  meta: Record<string, string>;
  tags: Record<string, string>;
  /** Base URL of its HTTP API (`http://host:port`): where it is probed. */
  url: string;
  status: MemberStatus;
  /** When it became failed or left (ms since the epoch), for reconnect_timeout. */
  since?: number;
}

/** A member in /v1/agent/members' shape. Addr:Port is its HTTP address, which `join` takes. */
export function memberView(m: Member): Record<string, unknown> {
  const u = new URL(m.url);
  return {
    Name: m.name,
    Addr: u.hostname.replace(/^\[|\]$/g, ''),
    Port: Number(u.port || 80),
    Tags: { ...m.tags },
    Status: MEMBER_STATUS_CODES[m.status],
    ProtocolMin: 1,
    ProtocolMax: 5,
    ProtocolCur: 2,
    DelegateMin: 2,
    DelegateMax: 5,
    DelegateCur: 4,
  };
}

const hostPort = (host: string, port: string | number) => `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
const UNSPECIFIED = new Set(['0.0.0.0', '::', '[::]']);

/** Splits `host:port`, `[v6]:port`, `host` or `v6`; the port is undefined when absent. */
export function splitHostPort(text: string): { host: string; port?: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (v6) return { host: v6[1]!, port: v6[2] === undefined ? undefined : Number(v6[2]) };
  if (isIP(text) === 6) return { host: text };
  const i = text.lastIndexOf(':');
  if (i < 0) return { host: text };
  const port = text.slice(i + 1);
  if (!/^\d+$/.test(port)) throw new Error(`invalid port ${JSON.stringify(port)}`);
  return { host: text.slice(0, i), port: Number(port) };
}

/** The HTTP base URL a join address names: `host[:port]` (default port 8500) or `http://host:port`. */
export function joinUrl(address: string): string {
  const text = address.replace(/^http:\/\//, '').replace(/\/$/, '');
  const { host, port } = splitHostPort(text);
  const p = port ?? DEFAULT_JOIN_PORT;
  if (!host || p < 1 || p > 65535) throw new Error(`invalid address ${JSON.stringify(address)}: use host:port`);
  return `http://${hostPort(host, p)}`;
}

/**
 * Where to reach an agent that announced itself from `remote` (the request's source address):
 * the listen address on that same host if there is one, the remote host with the port of an
 * address listening on all interfaces, or else the first address it listens on.
 */
export function announcedUrl(listen: readonly string[], remote: string): string {
  const addrs = listen.map(splitHostPort).filter((a) => a.port !== undefined);
  const from = remote.replace(/^::ffff:/, '');
  const same = addrs.find((a) => a.host === from);
  if (same) return `http://${hostPort(same.host, same.port!)}`;
  const any = addrs.find((a) => UNSPECIFIED.has(a.host));
  if (any) return `http://${hostPort(from, any.port!)}`;
  if (addrs.length === 0) throw new Error('the announcement names no HTTP address');
  return `http://${hostPort(addrs[0]!.host, addrs[0]!.port!)}`;
}

/** Checks a decoded announcement has what a member needs; throws an Error saying what is missing. */
export function checkAnnouncement(d: Partial<Announcement>): Announcement {
  for (const k of ['Name', 'Datacenter', 'Addr'] as const) if (!d[k]) throw new Error(`announcement without ${k}`);
  if (!d.Listen || d.Listen.length === 0) throw new Error('announcement without Listen addresses');
  if (d.Status !== undefined && d.Status !== 'alive' && d.Status !== 'left') throw new Error(`invalid Status ${JSON.stringify(d.Status)}`);
  return { ID: '', Tags: {}, Meta: {}, Status: 'alive', ...d } as Announcement;
}
