import dgram from 'node:dgram';
import net from 'node:net';
import type { Logger } from 'winston';
import type { DnsResolver } from './resolver.js';

/** A TCP client idle this long is closed. */
const TCP_IDLE_MS = 10_000;
/** TCP connections served at once; more are refused until some close. */
const TCP_MAX_CONNECTIONS = 512;
/** Queries one TCP connection may have waiting for their answers. */
const TCP_MAX_PENDING = 64;
/** Tries to find a port free for both UDP and TCP when asked for any port (0). */
const BIND_TRIES = 10;

/**
 * The DNS listeners: UDP and TCP on the same port of each address. Every message goes to the
 * resolver; a reply that cannot be sent is dropped, never a crash. TCP messages carry their
 * two-byte length (RFC 1035 4.2.2); a connection may send several and gets the answers in order.
 */
export class DnsServer {
  private readonly udp: dgram.Socket[] = [];
  private readonly tcp: net.Server[] = [];
  private readonly conns = new Set<net.Socket>();

  constructor(
    private readonly resolver: Pick<DnsResolver, 'reply'>,
    private readonly log: Logger,
  ) {}

  /** Starts UDP and TCP on host:port; resolves with the port (0 picks one free for both). */
  async listen(host: string, port: number): Promise<number> {
    for (let i = 0; ; i++) {
      const udp = await this.bindUdp(host, port);
      const bound = udp.address().port;
      try {
        await this.bindTcp(host, bound);
        this.udp.push(udp);
        return bound;
      } catch (err) {
        udp.close();
        if (port !== 0 || i + 1 >= BIND_TRIES) throw err;
      }
    }
  }

  private bindUdp(host: string, port: number): Promise<dgram.Socket> {
    const socket = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4' });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        socket.on('error', (err) => this.log.warn('DNS UDP socket error', { error: err.message }));
        socket.on('message', (msg, from) => {
          void this.resolver.reply(msg, 'udp').then((out) => {
            if (out) socket.send(out, from.port, from.address, (err) => err && this.log.debug('DNS reply not sent', { error: err.message }));
          });
        });
        resolve(socket);
      });
    });
  }

  private bindTcp(host: string, port: number): Promise<void> {
    const server = net.createServer((conn) => this.serveTcp(conn));
    server.maxConnections = TCP_MAX_CONNECTIONS;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        server.on('error', (err) => this.log.warn('DNS TCP listener error', { error: err.message }));
        this.tcp.push(server);
        resolve();
      });
    });
  }

  private serveTcp(conn: net.Socket): void {
    this.conns.add(conn);
    conn.setTimeout(TCP_IDLE_MS, () => conn.destroy());
    conn.on('error', () => conn.destroy());
    conn.on('close', () => this.conns.delete(conn));
    let buf = Buffer.alloc(0);
    let pending = 0;
    let chain = Promise.resolve();
    conn.on('data', (d) => {
      buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (len === 0 || ++pending > TCP_MAX_PENDING) return void conn.destroy();
        if (buf.length < 2 + len) {
          pending--;
          return;
        }
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        const answered = this.resolver.reply(msg, 'tcp');
        chain = chain.then(async () => {
          const out = await answered;
          pending--;
          if (!out) return;
          if (conn.destroyed) return;
          const head = Buffer.alloc(2);
          head.writeUInt16BE(out.length);
          conn.write(Buffer.concat([head, out]));
        });
      }
    });
  }

  /** Stops listening and closes every TCP connection; safe to call twice. */
  async close(): Promise<void> {
    for (const c of this.conns) c.destroy();
    this.conns.clear();
    const udp = this.udp.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    const tcp = this.tcp.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    await Promise.all([...udp, ...tcp]);
  }
}
