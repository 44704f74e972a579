import zlib from 'node:zlib';
import fc from 'fast-check';
import { checkStatus, duration, field, mostly, nastyString, numberText } from './value-arbitraries.js';

/** Loopback-only targets for HTTP/TCP checks the fuzzer registers (the agent will probe them). */
const loopbackUrl = fc.constantFrom('http://127.0.0.1:1/', 'http://127.0.0.1:1/health', 'not a url', 'ftp://127.0.0.1/', '');
const loopbackTcp = fc.constantFrom('127.0.0.1:1', '127.0.0.1', ':0', 'nohost:99999', '');
const port = fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.integer());
const tags = fc.array(nastyString, { maxLength: 4 });
const meta = fc.dictionary(nastyString, nastyString, { maxKeys: 3 });

const agentCheck = fc.record(
  {
    Name: field(nastyString), ID: field(nastyString), CheckID: field(nastyString), TTL: field(duration), HTTP: field(loopbackUrl), TCP: field(loopbackTcp),
    Interval: field(duration), Timeout: field(duration), ServiceID: field(nastyString), Status: field(checkStatus), Notes: field(nastyString),
    Args: field(fc.constant(['/bin/true'])), DeregisterCriticalServiceAfter: field(duration),
  },
  { requiredKeys: [] },
);

const catalogService = fc.record(
  { ID: field(nastyString), Service: field(nastyString), Tags: field(tags), Port: field(port), Address: field(nastyString), Meta: field(meta), Weights: field(fc.record({ Passing: port, Warning: port })), Kind: field(fc.constantFrom('', 'connect-proxy')) },
  { requiredKeys: [] },
);

const catalogCheck = fc.record(
  { Node: field(nastyString), CheckID: field(nastyString), Name: field(nastyString), Status: field(checkStatus), ServiceID: field(nastyString), Definition: field(fc.record({ HTTP: loopbackUrl, Interval: duration }, { requiredKeys: [] })) },
  { requiredKeys: [] },
);

const bodies: Record<string, fc.Arbitrary<unknown>> = {
  '/v1/catalog/register': fc.record(
    { Node: field(nastyString), Address: field(nastyString), ID: field(nastyString), Datacenter: field(fc.constantFrom('dc1', 'dc2', '')), NodeMeta: field(meta), TaggedAddresses: field(meta), Service: field(catalogService), Check: field(catalogCheck), Checks: field(fc.array(catalogCheck, { maxLength: 3 })), SkipNodeUpdate: field(fc.boolean()) },
    { requiredKeys: [] },
  ),
  '/v1/catalog/deregister': fc.record({ Node: field(nastyString), ServiceID: field(nastyString), CheckID: field(nastyString), Datacenter: field(fc.constantFrom('dc1', 'dc2')) }, { requiredKeys: [] }),
  '/v1/agent/service/register': fc.record(
    { Name: field(nastyString), ID: field(nastyString), Port: field(port), Tags: field(tags), Meta: field(meta), Address: field(nastyString), Check: field(agentCheck), Checks: field(fc.array(agentCheck, { maxLength: 2 })), Weights: field(fc.record({ Passing: port, Warning: port })), EnableTagOverride: field(fc.boolean()), Kind: field(fc.constantFrom('', 'connect-proxy')) },
    { requiredKeys: [] },
  ),
  '/v1/agent/check/register': agentCheck,
  '/v1/agent/check/update/': fc.record({ Status: field(checkStatus), Output: field(nastyString) }, { requiredKeys: [] }),
  '/v1/session/create': fc.record(
    { Name: field(nastyString), Node: field(nastyString), TTL: field(duration), Behavior: field(fc.constantFrom('release', 'delete', 'bogus')), LockDelay: field(fc.oneof(duration, fc.integer())), Checks: field(fc.array(nastyString, { maxLength: 2 })), NodeChecks: field(fc.array(nastyString, { maxLength: 2 })), ServiceChecks: field(fc.array(fc.record({ ID: nastyString }), { maxLength: 2 })) },
    { requiredKeys: [] },
  ),
  '/v1/internal/praetor/members': fc.record({ Name: field(nastyString), ID: field(nastyString), Datacenter: field(fc.constantFrom('dc1', 'dc2')), Addr: field(fc.constantFrom('127.0.0.1:1', '127.0.0.1', 'x')), Listen: field(fc.array(nastyString, { maxLength: 2 })), Status: field(fc.constantFrom('alive', 'left', 'failed', 'x')) }, { requiredKeys: [] }),
  '/v1/txn': fc.array(
    fc.oneof(
      fc.record({ KV: fc.record({ Verb: mostly(fc.constantFrom('set', 'get', 'delete', 'cas', 'delete-cas', 'check-index', 'check-not-exists', 'delete-tree', 'get-tree', 'lock', 'unlock', 'check-session', 'bogus')), Key: mostly(nastyString), Value: field(fc.constantFrom('aGVsbG8=', '', 'not base64!', '====')), Index: field(fc.nat()), Flags: field(fc.nat()), Session: field(nastyString) }, { requiredKeys: [] }) }),
      fc.record({ Node: fc.record({ Verb: mostly(fc.constantFrom('set', 'get', 'delete', 'cas', 'delete-cas')), Node: mostly(fc.record({ Node: mostly(nastyString), Address: mostly(nastyString) }, { requiredKeys: [] })) }, { requiredKeys: [] }) }),
      fc.record({ Service: fc.record({ Verb: mostly(fc.constantFrom('set', 'get', 'delete', 'cas', 'delete-cas')), Node: mostly(nastyString), Service: mostly(catalogService) }, { requiredKeys: [] }) }),
      fc.record({ Check: fc.record({ Verb: mostly(fc.constantFrom('set', 'get', 'delete', 'cas', 'delete-cas')), Check: mostly(catalogCheck) }, { requiredKeys: [] }) }),
      mostly(fc.constant({})),
    ),
    { maxLength: 6 },
  ),
};

/** A valid-looking JSON body for a route, by its table path (undefined when the route takes none). */
export function structuredBody(routePath: string): fc.Arbitrary<unknown> | undefined {
  return bodies[routePath];
}

const SIZE_10MB = 10 * 1024 * 1024;

/** Nesting depth: mostly shallow, sometimes past any recursion limit. */
const depth = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 64 }) }, { weight: 1, arbitrary: fc.integer({ min: 1000, max: 100_000 }) });

/** Ways to spoil a JSON text: truncation, huge numbers, deep nesting, NUL, invalid UTF-8. */
function spoil(text: string): fc.Arbitrary<Buffer> {
  return fc.oneof(
    fc.nat({ max: Math.max(0, text.length - 1) }).map((n) => Buffer.from(text.slice(0, n))),
    numberText.map((n) => Buffer.from(text.replace(/-?\d+(\.\d+)?/, n))),
    depth.map((d) => Buffer.from('['.repeat(d) + text + ']'.repeat(d))),
    depth.map((d) => Buffer.from('{"a":'.repeat(d) + text + '}'.repeat(d))),
    fc.constant(Buffer.from(text.replace('"', '"\u0000'))),
    fc.constant(Buffer.concat([Buffer.from(text.slice(0, 3)), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(text.slice(3))])),
  );
}

/** Gzip and tar-ish bytes for PUT /v1/snapshot, plus `archive` (a real one, or a flipped byte of it). */
function snapshotBody(archive: Buffer | undefined): fc.Arbitrary<Buffer> {
  const junk = fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a));
  const options: Array<fc.Arbitrary<Buffer>> = [junk, junk.map((b) => zlib.gzipSync(b)), fc.constant(zlib.gzipSync(Buffer.from('{"not":"a tar"}')))];
  if (archive) {
    options.push(fc.constant(archive));
    options.push(fc.nat({ max: archive.length - 1 }).map((i) => Buffer.concat([archive.subarray(0, i), Buffer.from([archive[i] ^ 0x55]), archive.subarray(i + 1)])));
    options.push(fc.nat({ max: archive.length - 1 }).map((i) => archive.subarray(0, i)));
  }
  return fc.oneof(...options);
}

/** A 10 MB body (spaces, `{`, or NUL bytes): requestArb sends one in about a thousand requests. */
export const hugeBody: fc.Arbitrary<Buffer> = fc.constantFrom(0x20, 0x7b, 0x00).map((b) => Buffer.alloc(SIZE_10MB, b));

/** Any body for a route: none, structured JSON (maybe spoiled), wrong types, raw bytes. */
export function bodyFor(routePath: string, archive: Buffer | undefined): fc.Arbitrary<Buffer | undefined> {
  const structured = structuredBody(routePath) ?? fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant({}));
  const asText = structured.map((v) => JSON.stringify(v) ?? 'null');
  const options: Array<{ weight: number; arbitrary: fc.Arbitrary<Buffer | undefined> }> = [
    { weight: 40, arbitrary: fc.constant(undefined) },
    { weight: 20, arbitrary: fc.constant(Buffer.alloc(0)) },
    { weight: 200, arbitrary: asText.map((t) => Buffer.from(t)) },
    { weight: 100, arbitrary: asText.chain(spoil) },
    { weight: 40, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
    { weight: 20, arbitrary: fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)) },
    { weight: 20, arbitrary: fc.constantFrom('null', '""', '[]', '"string"', '12', 'true', '{"__proto__":{"x":1}}', '{"Node":{"Node":{}}}').map((t) => Buffer.from(t)) },
  ];
  if (routePath === '/v1/snapshot') options.push({ weight: 160, arbitrary: snapshotBody(archive) });
  return fc.oneof(...options);
}
