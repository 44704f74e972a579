import { InvalidEventError, multiError } from '../errors.js';

/** A user event as /v1/event/fire answers it and /v1/event/list returns it. */
export interface UserEvent {
  ID: string;
  Name: string;
  /** The request body; null when it was empty. */
  Payload: Buffer | null;
  /** Regular expressions an agent's node name, service names and tags must match to receive it. */
  NodeFilter: string;
  ServiceFilter: string;
  TagFilter: string;
  Version: number;
  /** This agent's Lamport time when the event was delivered (0 in the answer to a fire). */
  LTime: number;
}

/** What the firing client chose. */
export type UserEventParams = Pick<UserEvent, 'Name' | 'Payload' | 'NodeFilter' | 'ServiceFilter' | 'TagFilter'>;

/** Consul's default limit (serf's user_event_size_limit) on one event, in bytes. */
export const USER_EVENT_SIZE_LIMIT = 512;

/**
 * Consul checks the size of the gossip message that carries an event: the name twice (as the
 * serf event name and inside the encoded event), the payload, the filters, the ID and the
 * encoding's framing. Praetor sends no gossip message; it counts the same parts and stands for
 * the ID and framing with this constant, so events pass or fail within a few bytes of where
 * Consul 1.8 draws the line.
 */
const ENCODING_OVERHEAD = 96;

/** The bytes the event would take on the wire, as Consul counts them (approximately). */
export function eventSize(p: UserEventParams): number {
  const len = (s: string) => Buffer.byteLength(s);
  return 2 * len(p.Name) + (p.Payload?.length ?? 0) + len(p.NodeFilter) + len(p.ServiceFilter) + len(p.TagFilter) + ENCODING_OVERHEAD;
}

/** Compiles one filter; an empty filter matches everything. */
export function compileFilter(kind: 'node' | 'service' | 'tag', pattern: string): RegExp | null {
  if (pattern === '') return null;
  try {
    return new RegExp(pattern);
  } catch (err) {
    // JavaScript says "Invalid regular expression: /[/: Unterminated character class"; Go names the pattern last.
    const why = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    throw new InvalidEventError(`Invalid ${kind} filter: error parsing regexp: ${why}: \`${pattern}\``);
  }
}

/**
 * Refuses what Consul refuses, with its texts (all 500 there): a tag filter without a service
 * filter, a filter that is not a regular expression, an event over the size limit.
 */
export function validateUserEvent(p: UserEventParams): void {
  if (p.TagFilter !== '' && p.ServiceFilter === '') throw new InvalidEventError('Cannot provide tag filter without service filter');
  compileFilter('node', p.NodeFilter);
  compileFilter('service', p.ServiceFilter);
  compileFilter('tag', p.TagFilter);
  if (eventSize(p) > USER_EVENT_SIZE_LIMIT) {
    throw new InvalidEventError(
      multiError([`error broadcasting event to segment "": user event exceeds configured limit of ${USER_EVENT_SIZE_LIMIT} bytes before encoding`]),
    );
  }
}

/**
 * The X-Consul-Index of an event list, as Consul derives it from the newest event's ID: the
 * two 64-bit halves of the UUID XORed. Not monotonic; clients only compare it for equality.
 */
export function eventIndex(id: string): bigint {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return 0n;
  return BigInt(`0x${hex.slice(0, 16)}`) ^ BigInt(`0x${hex.slice(16)}`);
}

/** The JSON form: Payload as base64, or null. */
export function userEventJson(e: UserEvent): Record<string, unknown> {
  return { ...e, Payload: e.Payload === null ? null : e.Payload.toString('base64') };
}
