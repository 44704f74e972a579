// The rows of the table. Each scenario has an id, a title, the targets it runs on, an
// optional setup (run once per target, unmeasured) and either a load spec for autocannon
// or a custom measure() (the watcher fan-out).
import { forEachLimited, must } from './http.js';
import { progress } from './log.js';

/** 100 bytes of printable text: the value of every KV key the bench writes. */
export const VALUE_100 = 'praetor-bench-value:'.padEnd(100, '0123456789abcdefghijklmnopqrstuvwxyz');
export const GET_KEY = 'bench/get';

/** Exactly what Consul answers for GET /v1/kv/bench/get (the bare server sends these bytes). */
export const KV_GET_BODY = JSON.stringify([{
  LockIndex: 0, Key: GET_KEY, Flags: 0, Value: Buffer.from(VALUE_100).toString('base64'),
  CreateIndex: 12, ModifyIndex: 12,
}]);

const REGISTRY = ['praetor', 'consul'];

/** One instance of `web` on its own node, with a passing service check. */
function webInstance(i) {
  return {
    Node: `web-node-${i}`,
    Address: '127.0.0.1',
    Service: { ID: `web-${i}`, Service: 'web', Port: 20000 + i, Tags: ['v1'] },
    Check: { CheckID: `web-${i}-alive`, Name: 'web alive', Status: 'passing', ServiceID: `web-${i}` },
  };
}

/** Registers web-<from>..web-<to-1>, then checks the health endpoint lists `total` passing. */
async function registerWeb(base, from, to) {
  const failures = await forEachLimited(from, to, 16, (i) => must(base, 'PUT', '/v1/catalog/register', webInstance(i)));
  if (failures.length) throw new Error(`${failures.length} of ${to - from} registrations failed, first: ${failures[0]}`);
  const res = await must(base, 'GET', '/v1/health/service/web?passing');
  const got = JSON.parse(res.body).length;
  if (got !== to) throw new Error(`after registering ${to} instances, /v1/health/service/web?passing lists ${got}`);
  progress(`  registered web instances ${from}..${to - 1}; health lists ${got} (${res.body.length} bytes)`);
}

export const SCENARIOS = [
  {
    id: 'kv-get',
    title: 'KV GET 100 B key',
    targets: ['praetor', 'consul', 'bare'],
    async setup(t) {
      if (t.name === 'bare') return;
      await must(t.base, 'PUT', `/v1/kv/${GET_KEY}`, VALUE_100);
      const res = await must(t.base, 'GET', `/v1/kv/${GET_KEY}`);
      const value = Buffer.from(JSON.parse(res.body)[0].Value, 'base64').toString();
      if (value !== VALUE_100) throw new Error(`GET /v1/kv/${GET_KEY} returned a different value`);
    },
    load: () => ({ method: 'GET', path: `/v1/kv/${GET_KEY}` }),
  },
  {
    id: 'kv-put',
    title: 'KV PUT 100 B, distinct keys',
    targets: REGISTRY,
    load: () => {
      let n = 0;
      return { method: 'PUT', path: '/v1/kv/bench/put/0', body: VALUE_100, make: () => ({ path: `/v1/kv/bench/put/${n++}` }) };
    },
  },
  {
    id: 'health-100',
    title: 'health/service?passing, 100 inst.',
    targets: REGISTRY,
    setup: (t) => registerWeb(t.base, 0, 100),
    load: () => ({ method: 'GET', path: '/v1/health/service/web?passing' }),
  },
  {
    id: 'health-1000',
    title: 'health/service?passing, 1000 inst.',
    targets: REGISTRY,
    setup: (t) => registerWeb(t.base, 100, 1000),
    load: () => ({ method: 'GET', path: '/v1/health/service/web?passing' }),
  },
  {
    id: 'catalog-register',
    title: 'catalog register, distinct services',
    targets: REGISTRY,
    load: () => {
      let n = 0;
      const body = (i) => JSON.stringify({
        Node: `reg-node-${i}`, Address: '127.0.0.1',
        Service: { ID: `reg-${i}`, Service: `reg-${i}`, Port: 8080 },
      });
      return { method: 'PUT', path: '/v1/catalog/register', body: body(0), make: () => ({ body: body(n++) }) };
    },
  },
  {
    id: 'watch-fanout',
    title: 'one change → N blocking watchers',
    targets: REGISTRY,
    watchers: true,
  },
];
