import fc from 'fast-check';

/**
 * A model of what accepted writes do to one partition of the state (a KV prefix and one catalog
 * node that only one worker touches), and the generated commands that drive it.
 */
export interface KvModelEntry {
  value: Buffer | null;
  /** Flags as decimal text (they are 64-bit). */
  flags: string;
  modifyIndex: number;
}

export interface ServiceModel {
  Service: string;
  Port: number;
  Tags: string[];
}

export interface PartitionModel {
  prefix: string;
  node: string;
  kv: Map<string, KvModelEntry>;
  /** undefined: the node is not registered. */
  services: Map<string, ServiceModel> | undefined;
}

export function newPartition(prefix: string, node: string): PartitionModel {
  return { prefix, node, kv: new Map(), services: undefined };
}

/** Keys every client uses: a PUT of one of these without ?cas must succeed. */
export const PLAIN_KEYS = ['a', 'b', 'a/b', 'a/c', 'dir/x', 'é', 'x y', 'k%41', 'q?r', 'h#i', `long-${'x'.repeat(300)}`];
/** Keys the agent may refuse (4xx, 301) or accept; either way the final state must match the model. */
const ODD_KEYS = ['k\u0000z', '..', 'a/../b', '', '/lead', 'trail/', 'a//b', '\u0001', '日本/😀', '.', 'a/./b', '\ufffd', ' '];

export type Cas = undefined | 0 | 'current' | 'stale' | 'garbage';
export type Flags = undefined | string;

export type Command =
  | { kind: 'put'; key: string; value: Buffer; flags: Flags; cas: Cas }
  | { kind: 'delete'; key: string; cas: Cas }
  | { kind: 'delete-tree'; key: string }
  | { kind: 'txn-set'; key: string; value: Buffer }
  | { kind: 'register'; id: string; name: string; port: number; tags: string[] }
  | { kind: 'deregister-service'; id: string }
  | { kind: 'deregister-node' };

const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PLAIN_KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_KEYS) });
const value = fc.oneof(
  { weight: 20, arbitrary: fc.uint8Array({ maxLength: 48 }).map((a) => Buffer.from(a)) },
  { weight: 3, arbitrary: fc.constantFrom(Buffer.from([0xff, 0xfe, 0x00]), Buffer.from('\u0000'), Buffer.from('{"json":true}'), Buffer.alloc(0)) },
  // Over the 512 KiB kv_max_value_size: refused with 413.
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(512 * 1024 + 1, 0x61)) },
);
const flags: fc.Arbitrary<Flags> = fc.oneof(
  fc.constant(undefined),
  fc.nat({ max: 1000 }).map(String),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
  fc.constantFrom('18446744073709551616', '-1', 'x', '1.5'),
);
const cas: fc.Arbitrary<Cas> = fc.constantFrom<Cas>(undefined, undefined, 0, 'current', 'stale', 'garbage');
const serviceName = fc.constantFrom('web', 'db', 'api', 'svc/slash', 'ümlaut', 'sp ace', '');
const serviceId = fc.constantFrom('web-1', 'web-2', 'db', 'id/slash', 'ä', '');

export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('put' as const), key, value, flags, cas }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), key, cas }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete-tree' as const), key: fc.constantFrom('a', 'a/', 'dir', '', 'zz') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('txn-set' as const), key, value: value.filter((v) => v.length < 4096) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('register' as const), id: serviceId, name: serviceName, port: fc.integer({ min: 0, max: 65535 }), tags: fc.array(fc.constantFrom('a', 'b', 'ü', ''), { maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deregister-service' as const), id: serviceId }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'deregister-node' as const }) },
);

/** The URL path of a KV key, each segment percent-encoded (so `/`, not `?` or `#`, separates). */
export function kvPath(fullKey: string): string {
  return '/v1/kv/' + fullKey.split('/').map(encodeURIComponent).join('/');
}

/** JSON with 64-bit `Flags` kept as decimal text. */
export function parseFlagsExact<T>(text: string): T {
  return JSON.parse(text.replace(/"Flags":(\s*)(\d+)/g, '"Flags":$1"$2"')) as T;
}

export interface KvView {
  Key: string;
  Value: string | null;
  Flags: string;
  ModifyIndex: number;
  CreateIndex: number;
}

export const parseKvJson = (text: string) => parseFlagsExact<KvView[]>(text);
