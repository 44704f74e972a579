import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'winston';

/** What a server running its own etcd member tells the others (over its server port). */
export interface MemberInfo {
  /** The server's node name, which is its etcd member name. */
  name: string;
  peerUrl: string;
  clientUrl: string;
  /** Whether its etcd member runs (the cluster exists: a newcomer joins it as a member add). */
  running: boolean;
}

export const MEMBER_PATH = '/v1/praetor/etcd-member';

/**
 * The server port's one job: answering GET MEMBER_PATH with this server's MemberInfo, so the
 * servers named in -retry-join can find each other before any of them has a store. Nothing
 * else is served there.
 */
export class MemberDiscovery {
  private server: http.Server | null = null;

  constructor(
    private readonly info: () => MemberInfo,
    private readonly log: Logger,
  ) {}

  async listen(host: string, port: number): Promise<number> {
    const server = http.createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== MEMBER_PATH) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`the server port answers only GET ${MEMBER_PATH}`);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(this.info()));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const bound = (server.address() as AddressInfo).port;
    this.log.debug('answering etcd member discovery on the server port', { addr: `${host}:${bound}` });
    return bound;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

/** Asks `host:port` for its MemberInfo; null when it does not answer (yet). */
export async function askMember(host: string, port: number): Promise<MemberInfo | null> {
  const h = host.includes(':') ? `[${host}]` : host;
  try {
    const res = await fetch(`http://${h}:${port}${MEMBER_PATH}`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return null;
    return (await res.json()) as MemberInfo;
  } catch {
    return null;
  }
}
