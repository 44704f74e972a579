import type { Logger } from 'winston';
import { answerAddr } from './answer-addr.js';
import { nameServers, soaRecord } from './answer-authority.js';
import { answerNode } from './answer-node.js';
import { answerReverse } from './answer-reverse.js';
import { answerService } from './answer-service.js';
import { nxdomain, type Answer, type DnsContext } from './answer.js';
import { parseName } from './query-name.js';
import type { Recursors } from './recursor.js';
import { answerCap, fill, replyLimits } from './trim.js';
import { decodePacket, echoable, emptyReply, encodeReply, RD, type Packet, type Rcode, type Reply } from './wire.js';

const OPCODE_QUERY = 0;
const QR = 0x8000;

/**
 * Turns one DNS message into the bytes of its reply (null: no reply, for what is not a query).
 * Never throws for any input: a header that is not a query is dropped, another opcode is
 * NOTIMP, a question count other than 1 or a message dns-packet cannot decode is FORMERR.
 */
export class DnsResolver {
  private readonly domains: string[];

  constructor(
    private readonly ctx: DnsContext,
    private readonly recursors: Recursors,
    private readonly log: Logger,
  ) {
    const s = ctx.settings;
    this.domains = s.altDomain ? [s.domain, s.altDomain] : [s.domain];
  }

  async reply(msg: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | null> {
    if (msg.length < 12) return null;
    const id = msg.readUInt16BE(0);
    const flags = msg.readUInt16BE(2);
    if (flags & QR) return null;
    const rd = (flags & RD) !== 0;
    if (((flags >> 11) & 0xf) !== OPCODE_QUERY) return encodeReply(failure(id, rd, 'NOTIMP'));
    if (msg.readUInt16BE(4) !== 1) return encodeReply(failure(id, rd, 'FORMERR'));
    let req: Packet;
    try {
      req = decodePacket(msg);
    } catch {
      return encodeReply(failure(id, rd, 'FORMERR'));
    }
    if (!echoable(req.questions![0].name)) return encodeReply(failure(id, rd, 'FORMERR'));
    try {
      return await this.answer(msg, req, rd, transport);
    } catch (err) {
      this.log.error('DNS query failed', { error: (err as Error).message });
      return encodeReply(failure(id, rd, 'SERVFAIL', req));
    }
  }

  private async answer(msg: Buffer, req: Packet, rd: boolean, transport: 'udp' | 'tcp'): Promise<Buffer | null> {
    const q = req.questions![0];
    const reply = emptyReply(req.id ?? 0, rd, q);
    const opt = req.additionals?.find((rr) => rr.type === 'OPT') as { udpPayloadSize?: number } | undefined;
    if (opt) reply.edns = opt.udpPayloadSize ?? 512;
    if (q.class !== 'IN' && q.class !== 'ANY') return encodeReply(failure(reply.id, rd, 'REFUSED', req));
    const lookup = parseName(q.name, this.domains, this.ctx.datacenter);
    if (lookup.kind === 'outside') {
      // Without recursors nothing serves the name: REFUSED, without an OPT record (Consul 1.8).
      if (!this.recursors.configured) return encodeReply(failure(reply.id, rd, 'REFUSED', req));
      return this.recurse(msg, reply, transport);
    }
    // Never answer from writes that are not durable yet (as the HTTP reads); with allow_stale
    // (the default) answer from this server's copy, else confirm it is current first (etcd).
    const barrier = this.ctx.store.readable(this.ctx.settings.allowStale ? 'stale' : 'fresh');
    if (barrier) await barrier;
    reply.aa = true;
    reply.ra = this.recursors.configured;
    if (lookup.kind === 'reverse') {
      const a = answerReverse(this.ctx, q.name, lookup.ip);
      return a ? this.encode(reply, a, transport) : this.recurse(msg, reply, transport);
    }
    if (q.type === 'SOA' || q.type === 'NS') {
      const { ns, glue } = nameServers(this.ctx);
      if (q.type === 'NS') return this.encode(reply, { rcode: 'NOERROR', answers: ns, extras: [], additionals: glue, soa: false }, transport);
      return this.encode(reply, { rcode: 'NOERROR', answers: [soaRecord(this.ctx)], extras: [], additionals: glue, soa: false }, transport, ns);
    }
    if (q.type === 'AXFR' || q.type === 'IXFR') return encodeReply({ ...reply, rcode: 'NOTIMP' });
    const limits = replyLimits(transport, reply.edns, this.ctx.settings.udpAnswerLimit);
    return this.encode(reply, this.lookup(lookup, q.name, q.type, answerCap(q.name, limits)), transport);
  }

  private lookup(l: ReturnType<typeof parseName>, qname: string, qtype: string, cap: number): Answer {
    switch (l.kind) {
      case 'service':
        return answerService(this.ctx, qname, qtype, l.dc, l.service, l.tag, cap);
      case 'node':
        return answerNode(this.ctx, qname, qtype, l.dc, l.node);
      case 'addr':
        return answerAddr(this.ctx, qname, l.dc, l.hex);
      default:
        // Prepared queries (`.query`) do not exist yet: NXDOMAIN, as for an unknown one.
        return nxdomain();
    }
  }

  private encode(reply: Reply, a: Answer, transport: 'udp' | 'tcp', authorities = a.soa ? [soaRecord(this.ctx)] : []): Buffer {
    reply.rcode = a.rcode;
    const s = this.ctx.settings;
    const cut = fill(reply, a, authorities, replyLimits(transport, reply.edns, s.udpAnswerLimit));
    // enable_truncate sets TC on a cut answer over TCP too (Consul 1.8).
    if (cut && s.enableTruncate) reply.tc = true;
    return encodeReply(reply);
  }

  /** The recursors' answer as it came; SERVFAIL (RA set, not authoritative) when all fail or there are none. */
  private async recurse(msg: Buffer, reply: Reply, transport: 'udp' | 'tcp'): Promise<Buffer> {
    const upstream = this.recursors.configured ? await this.recursors.forward(msg, transport) : undefined;
    if (upstream) return upstream;
    if (this.recursors.configured) this.log.debug('every recursor failed', { name: reply.question?.name });
    return encodeReply({ ...reply, aa: false, ra: true, rcode: 'SERVFAIL', answers: [], authorities: [], additionals: [] });
  }
}

/** An error reply: the question echoed when it could be read, no OPT record. */
function failure(id: number, rd: boolean, rcode: Rcode, req?: Packet): Reply {
  return { ...emptyReply(id, rd, req?.questions?.[0]), rcode };
}
