import type { Answer } from './answer.js';
import { fixedBytes, recordBytes, type Reply, type Rr } from './wire.js';

/** Without EDNS0, a UDP reply holds 512 bytes. */
const UDP_MIN_BYTES = 512;
/** What one DNS message can hold (its length is 16 bits, over TCP too). */
const MESSAGE_MAX_BYTES = 65_535;
/** Consul's cap on udp_answer_limit for replies without EDNS0. */
const MAX_UDP_ANSWERS = 8;

export interface Limits {
  maxBytes: number;
  maxAnswers: number;
}

/**
 * What a reply may hold: over UDP, 512 bytes and min(8, udp_answer_limit) answers, or the
 * requester's EDNS0 size when larger (then no count cap); over TCP, one message.
 */
export function replyLimits(transport: 'udp' | 'tcp', edns: number | undefined, udpAnswerLimit: number): Limits {
  if (transport === 'tcp') return { maxBytes: MESSAGE_MAX_BYTES, maxAnswers: Infinity };
  const maxBytes = Math.min(Math.max(UDP_MIN_BYTES, edns ?? 0), MESSAGE_MAX_BYTES);
  return { maxBytes, maxAnswers: maxBytes === UDP_MIN_BYTES ? Math.min(MAX_UDP_ANSWERS, udpAnswerLimit) : Infinity };
}

/**
 * More answers than a reply to `qname` could hold within the limits: each record repeats the
 * name and takes at least 14 bytes more. One more than the count cap, so a cut still shows.
 */
export function answerCap(qname: string, limits: Limits): number {
  const fit = Math.floor(limits.maxBytes / (Buffer.byteLength(qname) + 2 + 14)) + 1;
  return Math.min(fit, limits.maxAnswers + 1);
}

/**
 * Fills the reply's sections from the answer within the limits; true when answers were cut.
 * As Consul 1.8: when it cuts, it keeps a prefix of the (shuffled) answers, at least one, and
 * only the first additional record of each remaining SRV target, once.
 */
export function fill(reply: Reply, a: Answer, authorities: Rr[], limits: Limits): boolean {
  reply.authorities = authorities;
  const base = fixedBytes(reply) + sum(authorities) + sum(a.additionals);
  const fullSize = () => base + sum(a.answers) + a.extras.reduce((n, e) => n + sum(e), 0);
  if (a.answers.length <= limits.maxAnswers && fullSize() <= limits.maxBytes) {
    reply.answers = a.answers;
    reply.additionals = [...a.extras.flat(), ...a.additionals];
    return false;
  }
  const firstByName = new Map<string, Rr>();
  for (const e of a.extras) for (const rr of e) if (!firstByName.has(rr.name.toLowerCase())) firstByName.set(rr.name.toLowerCase(), rr);
  const answers: Rr[] = [];
  const extras: Rr[] = [];
  const seen = new Set<string>();
  let size = base;
  for (const rr of a.answers) {
    if (answers.length >= limits.maxAnswers) break;
    const target = rr.type === 'SRV' ? rr.data.target.toLowerCase() : undefined;
    const extra = target !== undefined && !seen.has(target) ? firstByName.get(target) : undefined;
    const more = recordBytes(rr) + (extra ? recordBytes(extra) : 0);
    if (answers.length > 0 && size + more > limits.maxBytes) break;
    size += more;
    answers.push(rr);
    if (target !== undefined) seen.add(target);
    if (extra) extras.push(extra);
  }
  reply.answers = answers;
  reply.additionals = [...extras, ...a.additionals];
  return true;
}

function sum(rrs: readonly Rr[]): number {
  let n = 0;
  for (const rr of rrs) n += recordBytes(rr);
  return n;
}
