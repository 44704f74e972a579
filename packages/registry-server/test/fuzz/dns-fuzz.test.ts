import { expect } from 'chai';
import dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { register, startDnsAgent, type DnsAgent } from '../integration/dig.js';
import { query, readReply, tcpAsk, udpAsk } from '../integration/dns-raw.js';
import { fuzzConfig, progress, replayHint } from './fuzz-config.js';

const TYPES: dnsPacket.RecordType[] = ['A', 'AAAA', 'SRV', 'TXT', 'PTR', 'CNAME', 'MX', 'NS', 'SOA', 'AXFR', 'NAPTR', 'CAA'];
const RCODES = new Set(['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED']);

const label = fc.oneof(
  fc.constantFrom('web', 'service', 'node', 'addr', 'query', 'consul', 'dc1', '_web', '_tcp', 'n1', 'in-addr', 'arpa', 'ip6', '0a000001', '1', '10'),
  fc.stringMatching(/^[a-z0-9_-]{1,20}$/),
);
/** Names near the ones the server answers, and a few from nowhere. */
const name = fc.array(label, { minLength: 0, maxLength: 8 }).map((ls) => ls.join('.'));

/** A question, then maybe some of its bytes changed, cut, or extended with junk. */
const packet = fc
  .record({
    name,
    type: fc.constantFrom(...TYPES),
    id: fc.integer({ min: 0, max: 0xffff }),
    flags: fc.integer({ min: 0, max: 0x7fff }),
    edns: fc.option(fc.integer({ min: 0, max: 0xffff })),
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    cut: fc.option(fc.nat()),
    junk: fc.option(fc.uint8Array({ maxLength: 40 })),
  })
  .map((p) => {
    let b = Buffer.from(
      dnsPacket.encode({
        type: 'query',
        id: p.id,
        flags: p.flags & ~0x780f, // opcode and rcode bits are left to the flips
        questions: [{ name: p.name, type: p.type }],
        additionals: p.edns === null ? [] : [{ type: 'OPT', name: '.', udpPayloadSize: p.edns } as dnsPacket.Answer],
      }),
    );
    for (const [at, v] of p.flips) b[at % b.length] = v;
    if (p.cut !== null) b = b.subarray(0, p.cut % (b.length + 1));
    if (p.junk !== null) b = Buffer.concat([b, Buffer.from(p.junk)]);
    return b;
  });

/** What is wrong with a reply to `msg`, or undefined. No reply is allowed only for what is no query. */
const isQuery = (msg: Buffer) => msg.length >= 12 && (msg[2] & 0x80) === 0;

function checkReply(msg: Buffer, reply: Buffer | null): string | undefined {
  if (reply === null) return isQuery(msg) ? 'no reply to a query' : undefined;
  if (!isQuery(msg)) return 'a reply to something that is no query';
  let r;
  try {
    r = readReply(reply);
  } catch (err) {
    return `the reply does not decode: ${(err as Error).message}`;
  }
  if (reply.readUInt16BE(0) !== msg.readUInt16BE(0)) return 'the reply has another ID';
  if ((reply[2] & 0x80) === 0) return 'QR is not set';
  if (!RCODES.has(r.rcode)) return `unexpected rcode ${r.rcode}`;
  return undefined;
}

describe('DNS fuzz: generated packets over UDP and TCP', function () {
  this.timeout(0);
  let agent: DnsAgent;
  const cfg = fuzzConfig();
  const runs = Math.max(200, Math.floor(cfg.requests / 10));

  before(async () => {
    agent = await startDnsAgent(['-dev', '-node=dns-fuzz']);
    await register(agent.url, { Node: 'n1', Address: '10.0.0.1', NodeMeta: { a: 'b' }, Service: { ID: 'web', Service: 'web', Tags: ['tcp'], Port: 80 } });
  });
  after(async () => {
    await agent?.stop();
  });

  it(`answers every query well-formed, drops the rest, and keeps answering (${runs} packets)`, async () => {
    progress(`dns: ${runs} packets, seed ${cfg.seed}`);
    let failure: string | undefined;
    try {
      await fc.assert(
        fc.asyncProperty(packet, async (msg) => {
          // Over UDP a question may legitimately get no reply when it is no query; a query that
          // cannot be decoded still gets FORMERR. TCP carries the same bytes framed.
          const wait = isQuery(msg) ? 3000 : 100;
          const udp = await udpAsk(agent.dnsPort, msg, wait);
          const problem = checkReply(msg, udp);
          if (problem) throw new Error(`UDP ${msg.toString('hex')}: ${problem}`);
          if (msg.length > 0) {
            const { replies } = await tcpAsk(agent.dnsPort, [msg], wait);
            const tcpProblem = checkReply(msg, replies[0] ?? null);
            if (tcpProblem) throw new Error(`TCP ${msg.toString('hex')}: ${tcpProblem}`);
          }
        }),
        { numRuns: runs, seed: cfg.seed },
      );
    } catch (err) {
      failure = `${(err as Error).message}\n${replayHint('dns fuzz', cfg.seed)}`;
    }
    expect(failure).to.equal(undefined);
    const still = readReply((await udpAsk(agent.dnsPort, query('web.service.consul')))!);
    expect(still.answers).to.deep.equal(['10.0.0.1']);
  });
});
