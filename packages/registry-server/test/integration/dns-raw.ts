import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';

/** Sends raw bytes over UDP; resolves with the reply, or null when none came within `waitMs`. */
export function udpAsk(port: number, msg: Buffer, waitMs = 1500): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => finish(null), waitMs);
    const finish = (v: Buffer | null) => {
      clearTimeout(timer);
      s.close();
      resolve(v);
    };
    s.once('message', (m) => finish(m));
    s.send(msg, port, '127.0.0.1');
  });
}

/** Sends length-prefixed messages on one TCP connection; resolves with the replies that came within `waitMs`. */
export function tcpAsk(port: number, msgs: Buffer[], waitMs = 1500, chunk = 0): Promise<{ replies: Buffer[]; closed: boolean }> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    const replies: Buffer[] = [];
    let buf = Buffer.alloc(0);
    let closed = false;
    const timer = setTimeout(() => finish(), waitMs);
    const finish = () => {
      clearTimeout(timer);
      c.destroy();
      resolve({ replies, closed });
    };
    c.on('error', () => undefined);
    c.on('close', () => {
      closed = true;
      finish();
    });
    c.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        replies.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
        if (replies.length === msgs.length) finish();
      }
    });
    const framed = Buffer.concat(msgs.map((m) => Buffer.concat([Buffer.from([m.length >> 8, m.length & 255]), m])));
    if (chunk <= 0) c.write(framed);
    else for (let i = 0; i < framed.length; i += chunk) c.write(framed.subarray(i, i + chunk));
  });
}

export function query(name: string, type: dnsPacket.RecordType = 'A', id = 4242, klass: dnsPacket.RecordClass = 'IN'): Buffer {
  return dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: klass }] });
}

/** A reply as the tests read it: rcode, the answers' data, the authority records' types. */
export function readReply(reply: Buffer): { rcode: string; answers: unknown[]; authorities: string[] } {
  const p = dnsPacket.decode(reply) as dnsPacket.DecodedPacket & { rcode?: string };
  const data = (rr: dnsPacket.Answer) => ('data' in rr ? rr.data : undefined);
  return { rcode: p.rcode ?? '', answers: (p.answers ?? []).map(data), authorities: (p.authorities ?? []).map((r) => r.type) };
}

export const rcodeOf = (reply: Buffer): string => readReply(reply).rcode;
