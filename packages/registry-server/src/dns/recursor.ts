import dgram from 'node:dgram';
import { isIP } from 'node:net';
import net from 'node:net';

/** An upstream's SERVFAIL counts as a failure: the next recursor is asked. */
const SERVFAIL = 2;

/**
 * Forwards questions outside the domains to the configured recursors: each question starts at
 * the next recursor in turn (round robin) and goes on to the others while one fails, times out
 * (recursor_timeout each) or answers SERVFAIL. The first other answer is relayed as it came.
 * Over the transport the question came by (a UDP answer with TC makes the client retry by TCP).
 */
export class Recursors {
  private next = 0;

  constructor(
    /** host:port, `[v6]:port` for IPv6. */
    private readonly addrs: readonly string[],
    private readonly timeoutMs: number,
  ) {}

  get configured(): boolean {
    return this.addrs.length > 0;
  }

  /** The upstream's reply, or undefined when every recursor failed. */
  async forward(query: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    const start = this.next;
    this.next = (this.next + 1) % Math.max(1, this.addrs.length);
    for (let i = 0; i < this.addrs.length; i++) {
      const [host, port] = splitHostPort(this.addrs[(start + i) % this.addrs.length]);
      try {
        const reply = transport === 'udp' ? await askUdp(query, host, port, this.timeoutMs) : await askTcp(query, host, port, this.timeoutMs);
        if (reply.length >= 4 && (reply[3] & 0xf) !== SERVFAIL) return reply;
      } catch {
        // this recursor failed: try the next one
      }
    }
    return undefined;
  }
}

function splitHostPort(addr: string): [string, number] {
  const i = addr.lastIndexOf(':');
  return [addr.slice(0, i).replace(/^\[|\]$/g, ''), Number(addr.slice(i + 1))];
}

function askUdp(query: Buffer, host: string, port: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    let settled = false;
    const done = (err: Error | null, reply?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(() => done(new Error('recursor timed out')), timeoutMs);
    timer.unref();
    socket.on('error', (err) => done(err));
    // Only the reply to this question (same ID, from the recursor) ends the wait.
    socket.on('message', (msg, from) => {
      if (msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0) && from.port === port) done(null, msg);
    });
    socket.send(query, port, host, (err) => err && done(err));
  });
}

function askTcp(query: Buffer, host: string, port: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let buf = Buffer.alloc(0);
    let settled = false;
    const done = (err: Error | null, reply?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(() => done(new Error('recursor timed out')), timeoutMs);
    timer.unref();
    socket.on('error', (err) => done(err));
    socket.on('close', () => done(new Error('recursor closed the connection')));
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(null, buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
    const len = Buffer.alloc(2);
    len.writeUInt16BE(query.length);
    socket.write(Buffer.concat([len, query]));
  });
}
