import { ownedKey, splitKey, type Table } from '../../structs/change.js';
import type { RangeGuard } from '../../commands/read-set.js';
import { configKey } from '../../structs/config-entry.js';

/**
 * Where Praetor keeps a datacenter's state in etcd: `/<prefix>/<dc>/<space>/<rest>`. Node names,
 * service and check IDs are percent-encoded (they may hold `/`), so the keys of one node's
 * services or checks form one etcd range; KV keys and session IDs are kept as they are, so a KV
 * prefix is an etcd prefix.
 */
export const SPACES = {
  node: 'n',
  service: 's',
  check: 'c',
  kv: 'k',
  session: 'x',
  'lock-delay': 'd',
  config: 'g',
  /** The index table keys that deletes moved (puts are derived from the entities' own indexes). */
  index: 'i',
  /** KV tombstones: the deleted key, at the revision it was deleted. */
  tombstone: 't',
  /** One fence per session, moved by every write to a KV entry it locks or unlocks. */
  lockFence: 'f',
  /** Written by every Praetor write: its mod_revision is the latest write's revision. */
  last: 'r',
  /** Live servers, each on its own lease. */
  server: 'm',
  /** Leader election: one key per candidate, on its lease; the oldest holds the leadership. */
  election: 'e',
  /** Session TTLs: one key per TTL session, on a lease that renewals keep alive. */
  sessionTtl: 'l',
  /**
   * Client members (etcd-member-leases.ts): `a/l/<node>` on the member's own lease, kept alive by
   * its heartbeats; `a/r/<node>` its record (announcement, status, since), without a lease.
   */
  member: 'a',
  /**
   * `z/last`: put when a snapshot restore into etcd is complete, valued with the restoring
   * server's token, so the other servers put back what they own (EtcdBackend.onRestoreElsewhere).
   */
  restored: 'z',
} as const;

export type Space = (typeof SPACES)[keyof typeof SPACES];

const BY_LETTER = new Map<string, keyof typeof SPACES>(Object.entries(SPACES).map(([name, letter]) => [letter, name as keyof typeof SPACES]));

const enc = encodeURIComponent;

export class EtcdKeys {
  /** `/<prefix>/<dc>/` */
  readonly base: string;

  constructor(prefix: string, datacenter: string) {
    this.base = `/${prefix.replace(/^\/+|\/+$/g, '')}/${enc(datacenter)}/`;
  }

  space(s: Space): string {
    return `${this.base}${s}/`;
  }

  /** The key every Praetor write puts (SPACES.last). */
  last(): string {
    return `${this.base}${SPACES.last}`;
  }

  /** The etcd key of an entity (table + store key, as in Change). */
  entity(t: Table, k: string): string {
    switch (t) {
      case 'service':
      case 'check': {
        const [node, id] = splitKey(k);
        return `${this.space(SPACES[t])}${enc(node)}/${enc(id)}`;
      }
      case 'node':
        return `${this.space(SPACES.node)}${enc(k)}`;
      default:
        return `${this.space(SPACES[t])}${k}`;
    }
  }

  /** The table and store key of an entity key (after the base), or null for a key of another space. */
  parseEntity(space: string, rest: string): { t: Table; k: string } | null {
    const t = BY_LETTER.get(space);
    switch (t) {
      case 'service':
      case 'check': {
        const slash = rest.indexOf('/');
        return { t, k: ownedKey(decodeURIComponent(rest.slice(0, slash)), decodeURIComponent(rest.slice(slash + 1))) };
      }
      case 'node':
        return { t, k: decodeURIComponent(rest) };
      case 'kv':
      case 'session':
      case 'lock-delay':
      case 'config':
        return { t, k: rest };
      default:
        return null;
    }
  }

  /** Splits a full key into its space letter and the rest; null when it is not under the base. */
  split(key: string): { space: string; rest: string } | null {
    if (!key.startsWith(this.base)) return null;
    const slash = key.indexOf('/', this.base.length);
    if (slash < 0) return { space: key.slice(this.base.length), rest: '' };
    return { space: key.slice(this.base.length, slash), rest: key.slice(slash + 1) };
  }

  /** The etcd key range [key, end) a guard covers (end omitted: the one key). */
  range(g: RangeGuard): { key: Buffer; end?: Buffer } {
    switch (g.t) {
      case 'nodes':
        return prefixRange(this.space(SPACES.node));
      case 'node-services':
        return prefixRange(`${this.space(SPACES.service)}${enc(g.node)}/`);
      case 'node-checks':
        return prefixRange(`${this.space(SPACES.check)}${enc(g.node)}/`);
      case 'sessions':
        return prefixRange(this.space(SPACES.session));
      case 'session-locks':
        return { key: Buffer.from(`${this.space(SPACES.lockFence)}${g.session}`) };
      case 'kv-prefix':
        return prefixRange(`${this.space(SPACES.kv)}${g.prefix}`);
      case 'config-kind':
        return prefixRange(`${this.space(SPACES.config)}${configKey(g.kind, '')}`);
      case 'lock-delay':
        return { key: Buffer.from(`${this.space(SPACES['lock-delay'])}${g.key}`) };
    }
  }
}

/** The range of every key that starts with `prefix` (etcd's range_end: the prefix plus one). */
export function prefixRange(prefix: string): { key: Buffer; end: Buffer } {
  const b = Buffer.from(prefix);
  let i = b.length - 1;
  while (i >= 0 && b[i] === 0xff) i--;
  const end = i < 0 ? Buffer.from([0]) : Buffer.concat([b.subarray(0, i), Buffer.from([b[i]! + 1])]);
  return { key: b, end };
}
