import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';

/**
 * A tiny DNS server on 127.0.0.1 (UDP and TCP, one port) standing in for a recursor: it answers
 * `A` for the names in `answers`, SERVFAIL for names starting with `fail.`, NXDOMAIN otherwise;
 * `silent` accepts questions and never answers (a dead recursor).
 */
export interface Upstream {
  port: number;
  /** Questions received, by name. */
  asked: string[];
  close(): Promise<void>;
}

export async function startUpstream(answers: Record<string, string>, silent = false): Promise<Upstream> {
  const asked: string[] = [];
  const reply = (msg: Buffer): Buffer | undefined => {
    const q = dnsPacket.decode(msg);
    const name = q.questions?.[0]?.name ?? '';
    asked.push(name);
    if (silent) return undefined;
    const ip = answers[name];
    const rcode = ip ? 'NOERROR' : name.startsWith('fail.') ? 'SERVFAIL' : 'NXDOMAIN';
    return dnsPacket.encode({
      type: 'response',
      id: q.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 }[rcode],
      questions: q.questions,
      answers: ip ? [{ type: 'A', name, ttl: 42, data: ip }] : [],
    });
  };
  const udp = dgram.createSocket('udp4');
  udp.on('message', (msg, from) => {
    const out = reply(msg);
    if (out) udp.send(out, from.port, from.address);
  });
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
  const port = udp.address().port;
  const conns = new Set<net.Socket>();
  const tcp = net.createServer((c) => {
    conns.add(c);
    c.on('close', () => conns.delete(c));
    c.on('error', () => c.destroy());
    let buf = Buffer.alloc(0);
    c.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const out = reply(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
        if (!out) continue;
        const head = Buffer.alloc(2);
        head.writeUInt16BE(out.length);
        c.write(Buffer.concat([head, out]));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    asked,
    close: async () => {
      for (const c of conns) c.destroy();
      await Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]);
    },
  };
}
