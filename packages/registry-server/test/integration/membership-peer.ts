import { createHash, createHmac, randomBytes } from 'node:crypto';
import net from 'node:net';
import type { Announcement } from '../../src/membership/member.js';
import { http, type AgentProcess } from './harness.js';

/**
 * A stand-in for another agent in membership tests: builds announcements and signs them the
 * way the wire format says (written out here, independently of src/membership/message-auth.ts,
 * so a test fails if either side drifts), and counts the TCP connections a port receives.
 */
export const ANNOUNCE_PATH = '/v1/internal/praetor/members';

/** A fresh base64 key of 32 bytes, as `consul keygen` prints. */
export const newKey = () => randomBytes(32).toString('base64');

export const announcement = (name: string, port: number, over: Partial<Announcement> = {}): Announcement => ({
  Name: name,
  ID: `00000000-0000-4000-8000-${String(port).padStart(12, '0')}`,
  Datacenter: 'dc1',
  Addr: '127.0.0.1',
  Listen: [`127.0.0.1:${port}`],
  Tags: { role: 'node' },
  Meta: {},
  Status: 'alive',
  ...over,
});

/** The three headers of a request signed with `key` (base64), for this exact body. */
export function signedHeaders(key: string, body: string, opts: { ts?: number; nonce?: string; method?: string; path?: string } = {}): Record<string, string> {
  const ts = String(opts.ts ?? Date.now());
  const nonce = opts.nonce ?? randomBytes(16).toString('hex');
  const digest = createHash('sha256').update(body).digest('hex');
  const text = ['praetor-membership-request-v1', opts.method ?? 'PUT', opts.path ?? ANNOUNCE_PATH, ts, nonce, digest].join('\n');
  const sig = createHmac('sha256', Buffer.from(key, 'base64')).update(text).digest('hex');
  return { 'x-praetor-timestamp': ts, 'x-praetor-nonce': nonce, 'x-praetor-signature': sig };
}

/** PUTs an announcement to `agent`; signed with `key` when given; `headers` replace the signature. */
export function announce(agent: AgentProcess, a: Announcement, opts: { key?: string; headers?: Record<string, string> } = {}) {
  const body = JSON.stringify(a);
  const headers = { 'Content-Type': 'application/json', ...(opts.key ? signedHeaders(opts.key, body) : {}), ...opts.headers };
  return http(`${agent.url}${ANNOUNCE_PATH}`, { method: 'PUT', body, headers });
}

/** A loopback port that accepts and drops connections, counting them. */
export interface CountingListener {
  port: number;
  count(): number;
  close(): Promise<void>;
}

export function countingListener(): Promise<CountingListener> {
  let n = 0;
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    n++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.destroy();
  });
  return new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      resolve({
        port: (srv.address() as net.AddressInfo).port,
        count: () => n,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            srv.close(() => r());
          }),
      });
    });
  });
}

export interface MemberJson {
  Name: string;
  Addr: string;
  Port: number;
  Status: number;
}

export async function memberList(agent: AgentProcess): Promise<MemberJson[]> {
  return (await http(`${agent.url}/v1/agent/members`)).json() as MemberJson[];
}

export async function catalogNodes(agent: AgentProcess): Promise<Array<{ Node: string; Address: string }>> {
  return (await http(`${agent.url}/v1/catalog/nodes`)).json() as Array<{ Node: string; Address: string }>;
}
