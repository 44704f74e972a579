import dnsPacket from 'dns-packet';

/**
 * The DNS wire format, through dns-packet (the most used DNS codec on npm, maintained under the
 * mafintosh org, no native code, guarded against compression loops and over-long names when
 * decoding). Nothing in src/dns/ encodes or decodes bytes itself; this file holds the few types
 * and helpers the rest uses. dns-packet never compresses names, so answers are never compressed
 * (Consul compresses unless dns_config.disable_compression): a reply is a little larger, and
 * fewer records fit in one UDP datagram.
 */
export type Rr = dnsPacket.Answer;
export type Question = dnsPacket.Question;
export type Packet = dnsPacket.Packet;

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';
const RCODES: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

const HEADER_BYTES = 12;
/** The flags a reply may carry (dns-packet's names). */
export const AA = dnsPacket.AUTHORITATIVE_ANSWER;
export const TC = dnsPacket.TRUNCATED_RESPONSE;
export const RD = dnsPacket.RECURSION_DESIRED;
export const RA = dnsPacket.RECURSION_AVAILABLE;

/** A reply being built: the header bits as booleans, the sections as records. */
export interface Reply {
  id: number;
  question?: Question;
  rcode: Rcode;
  aa: boolean;
  ra: boolean;
  rd: boolean;
  tc: boolean;
  answers: Rr[];
  authorities: Rr[];
  additionals: Rr[];
  /** The requester's EDNS0 UDP size when it sent an OPT record: the reply carries one back. */
  edns?: number;
}

export function emptyReply(id: number, rd: boolean, question?: Question): Reply {
  return { id, question, rcode: 'NOERROR', aa: false, ra: false, rd, tc: false, answers: [], authorities: [], additionals: [] };
}

function optRecord(size: number): Rr {
  return { type: 'OPT', name: '.', udpPayloadSize: size, extendedRcode: 0, ednsVersion: 0, flags: 0, options: [] } as unknown as Rr;
}

export function encodeReply(r: Reply): Buffer {
  const flags = (r.aa ? AA : 0) | (r.tc ? TC : 0) | (r.rd ? RD : 0) | (r.ra ? RA : 0) | RCODES[r.rcode];
  return dnsPacket.encode({
    type: 'response',
    id: r.id,
    flags,
    questions: r.question ? [r.question] : [],
    answers: r.answers,
    authorities: r.authorities,
    additionals: r.edns === undefined ? r.additionals : [...r.additionals, optRecord(r.edns)],
  });
}

/** Bytes of one record on the wire (uncompressed, as encodeReply writes it). */
export function recordBytes(rr: Rr): number {
  return (dnsPacket as unknown as { answer: { encodingLength(rr: Rr): number } }).answer.encodingLength(rr);
}

/** Bytes of a reply's header, question and OPT record: what every reply to it carries. */
export function fixedBytes(r: Reply): number {
  const q = r.question ? dnsPacket.encodingLength({ questions: [r.question] }) - HEADER_BYTES : 0;
  return HEADER_BYTES + q + (r.edns === undefined ? 0 : recordBytes(optRecord(r.edns)));
}

export const decodePacket = (buf: Buffer): Packet => dnsPacket.decode(buf);

/**
 * Whether a decoded name can be written back as it was read: dns-packet reads label bytes as
 * UTF-8, so bytes that are not turn into longer replacement characters, and a dot inside a
 * label splits it. A question whose name cannot be echoed faithfully is FORMERR.
 */
export function echoable(name: string): boolean {
  return Buffer.byteLength(name) <= 253 && name.split('.').every((l) => Buffer.byteLength(l) <= 63) && !name.includes('\uFFFD');
}
