import fc from 'fast-check';
import type { Route } from '../../src/http/api.js';
import { ROUTES } from '../../src/http/routes.js';
import { bodyFor, hugeBody } from './body-arbitraries.js';
import type { FuzzRequest } from './fuzz-client.js';
import { nastyString, pathText, urlText } from './value-arbitraries.js';

/**
 * Routes the fuzzer leaves out, each with why. Everything else in the route table is fuzzed.
 * PUT /v1/agent/leave stops the agent by design (its documented effect), so "the process stays
 * up" cannot hold after it; agent-process.test.ts covers it.
 */
export const EXCLUDED: ReadonlyArray<{ path: string; method: string }> = [{ path: '/v1/agent/leave', method: 'PUT' }];

/** Every (route, method) pair the fuzzer sends, read from the one route table. */
export const TARGETS: ReadonlyArray<{ route: Route; method: string }> = ROUTES.flatMap((route) =>
  Object.keys(route.methods)
    .filter((method) => !EXCLUDED.some((x) => x.path === route.path && x.method === method))
    .map((method) => ({ route, method })),
);

/** Join targets stay on loopback (a name would go to DNS): closed ports, bad forms, nothing routable. */
const joinParam = fc.constantFrom('127.0.0.1:1', '127.0.0.1', '127.0.0.1:99999', '[::1]:1', '::1', '', '%00', '127.0.0.1:1%2Fx', '[', 'http://127.0.0.1:1/');

const QUERY_NAMES = [
  'recurse', 'keys', 'raw', 'separator', 'cas', 'flags', 'acquire', 'release', 'dc', 'index', 'wait', 'stale', 'consistent', 'cached',
  'filter', 'tag', 'node-meta', 'near', 'pretty', 'prune', 'wan', 'ns', 'token', 'note', 'enable', 'reason', 'passing', 'name', 'node',
  'service', 'replace-existing-checks', 'segment', 'segment', 'ttl', 'limit', 'peer', 'x',
];

const queryValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('', 'true', 'false', '1', '0', 't', 'yes', 'dc1', 'dc2', '-1', '18446744073709551615', '18446744073709551616', '1e3', '10s', 'abc') },
  { weight: 2, arbitrary: fc.constantFrom('Service == web', 'Node.Node != ""', 'ServiceTags contains "x"', '((', 'a ==', 'Meta.x matches "("', 'not (Port > 1)', '"', 'Port == 18446744073709551616').map(urlText) },
  { weight: 3, arbitrary: nastyString.map(urlText) },
);

/** ?index always with a short wait (the agent runs with -max-query-time 1s as well): a blocking read must not hold a worker. */
const blocking = fc.tuple(fc.constantFrom('1', '5', '1000000', '18446744073709551615', '0'), fc.constantFrom('1ms', '10ms', '20ms')).map(([i, w]) => `index=${i}&wait=${w}`);

export const query: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 6, arbitrary: fc.array(fc.tuple(fc.constantFrom(...QUERY_NAMES.filter((n) => n !== 'index')), fc.option(queryValue, { nil: undefined })), { minLength: 1, maxLength: 4 }).map((ps) => ps.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join('&')) },
  { weight: 1, arbitrary: blocking },
  { weight: 1, arbitrary: fc.constantFrom('&&&', '=', '%', '%zz=1', 'a=%ff', 'recurse&recurse=false', 'cas=1&acquire=x', 'stale&consistent', 'dc=dc1&dc=dc2', '%00=%00') },
);

const headerValue = fc.oneof(
  fc.constantFrom('', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'gzip', 'deflate, gzip', 'no-cache', 'max-age=abc', 'anonymous', 'x'.repeat(8000)),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
  fc.array(fc.integer({ min: 0x80, max: 0xff }), { maxLength: 4 }).map((bs) => String.fromCharCode(...bs)),
);

export const headers: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom('X-Consul-Token', 'Content-Type', 'Accept-Encoding', 'X-Consul-Namespace', 'Cache-Control', 'Authorization', 'X-Fuzz'),
  headerValue,
  { maxKeys: 3 },
);

function pathFor(route: Route): fc.Arbitrary<string> {
  if (!route.prefix) return fc.constant(route.path);
  const param = route.path === '/v1/agent/join/' ? joinParam : pathText;
  return param.map((p) => route.path + p);
}

/** Paths that are not quite in the table: unknown, unclean (`..`, `//`), escaped slashes, other versions. */
const strayPath = fc.oneof(
  fc.constantFrom('/', '/v1', '/v1/', '/v2/kv/x', '/v1/kv', '/ui/', '/v1/agent', '/v1/agent/service', '/v1/status/leader/', '//v1/kv/x', '/v1/kv/../agent/self', '/v1/./kv/a', '/v1/kv/%2e%2e/x', '/v1%2Fkv%2Fa', '/V1/KV/A', '*', '/v1/catalog/nodes%00'),
  fc.tuple(fc.constantFrom(...TARGETS.map((t) => t.route.path)), pathText).map(([p, s]) => p + '/' + s),
);

const method = (good: string) => fc.oneof({ weight: 12, arbitrary: fc.constant(good) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'FOO') });

/** Requests whose framing is bad: Node's HTTP parser or the router must answer, not crash. */
const rawRequest: fc.Arbitrary<FuzzRequest> = fc
  .constantFrom(
    'GET /v1/kv/a\u0000b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    'GET /v1/kv/a b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    'PUT /v1/kv/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello',
    'PUT /v1/kv/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nhello\r\n0\r\n\r\n',
    'PUT /v1/kv/a HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n',
    'PUT /v1/kv/a HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551616\r\nConnection: close\r\n\r\n',
    'PUT /v1/txn HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nConnection: close\r\n\r\n[{"KV":',
    'GET /v1/agent/self HTTP/1.1\r\nHost: x\r\nX-Bad\u0000: v\r\nConnection: close\r\n\r\n',
    'GET /v1/agent/self HTTP/9.9\r\nConnection: close\r\n\r\n',
    'GARBAGE\r\n\r\n',
    '\r\n\r\n\r\n',
    'GET /v1/kv/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    'GET http://127.0.0.1/v1/agent/self HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    'PUT /v1/kv/a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc',
  )
  .map((text) => ({ method: 'RAW', path: '', headers: {}, raw: Buffer.from(text, 'latin1') }));

/** One request over the whole route table; `archive` is a real snapshot for PUT /v1/snapshot bodies. */
export function requestArb(archive?: Buffer): fc.Arbitrary<FuzzRequest> {
  const routed = fc.constantFrom(...TARGETS).chain(({ route, method: m }) =>
    fc.record({ method: method(m), p: pathFor(route), q: query, headers, body: m === 'GET' || m === 'DELETE' ? fc.option(bodyFor(route.path, archive), { nil: undefined, freq: 8 }) : bodyFor(route.path, archive) })
      .map(({ method: mm, p, q, headers: h, body }) => ({ method: mm, path: q ? `${p}?${q}` : p, headers: h, body })),
  );
  const stray = fc.record({ method: fc.constantFrom('GET', 'PUT', 'DELETE'), path: strayPath, headers, body: fc.constant(undefined) });
  const huge = fc.record({ t: fc.constantFrom(...TARGETS), headers, body: hugeBody }).map(({ t, headers: h, body }) => ({ method: t.method, path: t.route.prefix ? `${t.route.path}x` : t.route.path, headers: h, body }));
  return fc.oneof({ weight: 900, arbitrary: routed }, { weight: 70, arbitrary: stray }, { weight: 25, arbitrary: rawRequest }, { weight: 1, arbitrary: huge });
}
