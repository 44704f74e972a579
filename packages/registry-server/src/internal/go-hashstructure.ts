/**
 * The hash Consul computes with `mitchellh/hashstructure` (v1, default options: 64-bit FNV-1,
 * Go's fnv.New64), over a Go value described as data: scalars hash their bytes (ints as
 * little-endian int64/uint64, bools as one int8, strings as their UTF-8 bytes); a nil pointer
 * hashes as an int64 0; a slice folds its element
 * hashes in order; a map XORs the ordered hash of each key and value pair (so order does not
 * matter); a struct starts from the hash of its type name and XORs in the ordered hash of each
 * field name and value. Written from the algorithm's description; the test vectors come from a
 * real Consul 1.8.7 (content-hash.test.ts).
 */
export type GoValue =
  | { string: string }
  | { int64: number }
  | { uint64: number | bigint }
  | { float64: number }
  | { bool: boolean }
  | { nil: true }
  | { slice: GoValue[] }
  | { map: Array<[GoValue, GoValue]> }
  | { struct: string; fields: Array<[string, GoValue]> };

const MASK = (1n << 64n) - 1n;
const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;

function fnv64(bytes: Uint8Array): bigint {
  let h = OFFSET;
  for (const b of bytes) h = ((h * PRIME) & MASK) ^ BigInt(b);
  return h;
}

function le64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, n));
  return b;
}

/** Two hashes combined in order: the hash of both, little-endian, one after the other. */
function ordered(a: bigint, b: bigint): bigint {
  return fnv64(Buffer.concat([le64(a), le64(b)]));
}

export function goHash(v: GoValue): bigint {
  if ('string' in v) return fnv64(Buffer.from(v.string, 'utf8'));
  if ('int64' in v) return fnv64(le64(BigInt(v.int64)));
  if ('uint64' in v) return fnv64(le64(BigInt(v.uint64)));
  if ('float64' in v) {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v.float64);
    return fnv64(b);
  }
  if ('bool' in v) return fnv64(Uint8Array.of(v.bool ? 1 : 0));
  if ('nil' in v) return fnv64(le64(0n));
  if ('slice' in v) return v.slice.reduce((h, e) => ordered(h, goHash(e)), 0n);
  if ('map' in v) return v.map.reduce((h, [k, e]) => h ^ ordered(goHash(k), goHash(e)), 0n);
  return v.fields.reduce((h, [name, e]) => h ^ ordered(goHash({ string: name }), goHash(e)), goHash({ string: v.struct }));
}

/** As Consul prints it: lowercase hex, no padding (Go's `%x` of a uint64). */
export function goHashHex(v: GoValue): string {
  return goHash(v).toString(16);
}

/** A value decoded from JSON into Go's interface{} (numbers are float64; null is a nil interface). */
export function goJson(v: unknown): GoValue {
  if (v === null || v === undefined) return { nil: true };
  if (typeof v === 'string') return { string: v };
  if (typeof v === 'number') return { float64: v };
  if (typeof v === 'boolean') return { bool: v };
  if (Array.isArray(v)) return { slice: v.map(goJson) };
  return { map: Object.entries(v as Record<string, unknown>).map(([k, e]) => [{ string: k }, goJson(e)]) };
}
