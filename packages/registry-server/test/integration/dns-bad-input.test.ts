import { expect } from 'chai';
import dnsPacket from 'dns-packet';
import { dig, register, startDnsAgent, type DnsAgent } from './dig.js';
import { query, rcodeOf, readReply, tcpAsk, udpAsk } from './dns-raw.js';

/**
 * Bad input to the DNS listener, over UDP and TCP: it answers FORMERR, NOTIMP or REFUSED, or
 * drops, never crashes, and keeps answering everyone else.
 */
describe('DNS bad input', function () {
  this.timeout(120_000);
  let agent: DnsAgent;

  before(async () => {
    agent = await startDnsAgent(['-dev', '-node=dns-bad']);
    await register(agent.url, { Node: 'n1', Address: '10.0.0.1', Service: { ID: 'web', Service: 'web', Port: 80 } });
  });
  after(async () => {
    await agent?.stop();
  });

  const stillAnswers = async () => {
    const reply = await udpAsk(agent.dnsPort, query('web.service.consul'));
    expect(reply, 'a valid question after bad input').to.not.equal(null);
    expect(readReply(reply!).answers).to.deep.equal(['10.0.0.1']);
  };

  /** A valid question for web.service.consul with bytes patched. */
  const patched = (f: (b: Buffer) => void) => {
    const b = Buffer.from(query('web.service.consul'));
    f(b);
    return b;
  };
  /** A question whose name is given as raw label bytes. */
  const rawName = (nameBytes: Buffer) => Buffer.concat([Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]), nameBytes, Buffer.from([0, 1, 0, 1])]);
  const labels = (...ls: string[]) => Buffer.concat([...ls.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);

  const CASES: Array<[string, Buffer, string | null]> = [
    ['a question count of 0', patched((b) => b.writeUInt16BE(0, 4)), 'FORMERR'],
    ['a question count of 10', patched((b) => b.writeUInt16BE(10, 4)), 'FORMERR'],
    ['a packet cut in the question', query('web.service.consul').subarray(0, 20), 'FORMERR'],
    ['a name over 255 bytes', rawName(labels('a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(63), 'consul')), 'FORMERR'],
    ['a label over 63 bytes', rawName(Buffer.concat([Buffer.from([64]), Buffer.alloc(64, 0x61), labels('consul')])), 'FORMERR'],
    ['a label of bytes that are no UTF-8', rawName(Buffer.concat([Buffer.from([40]), Buffer.alloc(40, 0xff), labels('consul')])), 'FORMERR'],
    ['a compression loop', rawName(Buffer.from([0xc0, 0x0c])), 'FORMERR'],
    ['a pointer past the end', rawName(Buffer.from([0xc0, 0xff])), 'FORMERR'],
    ['another opcode (STATUS)', patched((b) => b.writeUInt16BE(0x1100, 2)), 'NOTIMP'],
    ['the CHAOS class', query('web.service.consul', 'A', 7, 'CH'), 'REFUSED'],
    ['a response (QR set)', patched((b) => b.writeUInt16BE(0x8100, 2)), null],
    ['less than a header', Buffer.from([1, 2, 3]), null],
  ];

  for (const [what, msg, want] of CASES) {
    it(`${what}: ${want ?? 'no reply'} (UDP and TCP)`, async () => {
      const udp = await udpAsk(agent.dnsPort, msg, want ? 3000 : 500);
      expect(udp === null ? null : rcodeOf(udp)).to.equal(want);
      if (udp) expect(udp.readUInt16BE(0)).to.equal(msg.readUInt16BE(0));
      const tcp = await tcpAsk(agent.dnsPort, [msg], want ? 3000 : 500);
      expect(tcp.replies.map(rcodeOf)).to.deep.equal(want ? [want] : []);
      await stillAnswers();
    });
  }

  it('an unsupported type is answered (NOERROR, the SOA), the ANY class as IN', async () => {
    const reply = readReply((await udpAsk(agent.dnsPort, query('web.service.consul', 'NAPTR')))!);
    expect([reply.rcode, reply.answers.length, reply.authorities]).to.deep.equal(['NOERROR', 0, ['SOA']]);
    const any = readReply((await udpAsk(agent.dnsPort, query('web.service.consul', 'A', 8, 'ANY')))!);
    expect(any.answers).to.deep.equal(['10.0.0.1']);
  });

  it('AXFR is NOTIMP', async () => {
    const { replies } = await tcpAsk(agent.dnsPort, [query('consul', 'AXFR')]);
    expect(replies.map(rcodeOf)).to.deep.equal(['NOTIMP']);
  });

  it('TCP: a message sent a byte at a time, several on one connection, answered in order', async () => {
    const msgs = [query('web.service.consul', 'A', 1), query('nosuch.service.consul', 'A', 2), query('n1.node.consul', 'A', 3)];
    const { replies } = await tcpAsk(agent.dnsPort, msgs, 5000, 1);
    expect(replies.map((r) => `${r.readUInt16BE(0)} ${rcodeOf(r)}`)).to.deep.equal(['1 NOERROR', '2 NXDOMAIN', '3 NOERROR']);
  });

  it('TCP: a zero length closes the connection', async () => {
    const { replies, closed } = await tcpAsk(agent.dnsPort, [Buffer.alloc(0)], 3000);
    expect([replies.length, closed]).to.deep.equal([0, true]);
  });

  it('random bytes and a flood of questions: every reply is a well-formed DNS message, and the server keeps answering', async () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 300; i++) {
      const junk = Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 80) }, () => Math.floor(rand() * 256)));
      junk[2] &= 0x7f; // a query, so that a reply may come
      const reply = await udpAsk(agent.dnsPort, junk, 50);
      if (reply) expect(() => dnsPacket.decode(reply)).to.not.throw();
    }
    // A flood: 20,000 UDP questions as fast as they can be sent, then a question with dig.
    const dgram = await import('node:dgram');
    const s = dgram.createSocket('udp4');
    const q = query('web.service.consul', 'SRV');
    for (let i = 0; i < 20_000; i++) s.send(q, agent.dnsPort, '127.0.0.1');
    await new Promise<void>((resolve) => s.send(q, agent.dnsPort, '127.0.0.1', () => resolve()));
    s.close();
    const a = await dig(agent.dnsPort, 'web.service.consul', 'A');
    expect(a.answer.map((r) => r.data)).to.deep.equal(['10.0.0.1']);
    expect((await fetch(`${agent.url}/v1/status/leader`)).status).to.equal(200);
  });
});
