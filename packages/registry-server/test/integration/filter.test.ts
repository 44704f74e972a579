import { startTarget, TARGETS } from './targets.js';
import { expect } from 'chai';
import { http, startAgent, within, type AgentProcess } from './harness.js';

type D = Record<string, unknown>;

/**
 * ?filter on every endpoint that takes one, against a real agent: a filter that matches some
 * items, one that matches none, and bad filters (400 with Consul's message and position, nothing
 * else affected). Expected items and texts were checked against a Consul 1.8.7 agent holding the
 * same data, with two differences on purpose: Consul answers a bad filter with 500 (Praetor: 400,
 * it is the client's mistake), and Consul 1.8.7 ignores ?filter on /v1/catalog/services (Praetor
 * filters the instances and lists what matches, as later Consul versions do).
 */
for (const target of TARGETS) describe(`filter expressions (?filter=) [${target}]`, function () {
  this.timeout(30000);
  let agent: AgentProcess;
  let url: string;
  let node: string;
  const put = (path: string, body: unknown) => http(`${url}${path}`, { method: 'PUT', body: JSON.stringify(body) });
  const get = (path: string, filter?: string, extra = '') =>
    http(`${url}${path}?${filter === undefined ? '' : `filter=${encodeURIComponent(filter)}&`}${extra}`);
  async function items(path: string, filter: string): Promise<unknown> {
    const res = await get(path, filter);
    expect(res.status, `${path} ${filter}: ${res.text}`).to.equal(200);
    return res.json();
  }
  const ids = (list: unknown, key: (x: D) => unknown) => (list as D[]).map(key).sort();
  const serviceIds = (list: unknown) => ids(list, (x) => x.ServiceID);
  const checkIds = (list: unknown) => ids(list, (x) => x.CheckID);

  before(async () => {
    agent = await startTarget(target, ['-dev']);
    url = agent.url;
    node = ((await http(`${url}/v1/agent/self`)).json() as { Config: { NodeName: string } }).Config.NodeName;
    await put('/v1/agent/service/register', { ID: 'web-1', Name: 'web', Tags: ['primary', 'v1'], Meta: { env: 'prod' }, Port: 8080, Check: { TTL: '30s', Status: 'passing' } });
    await put('/v1/agent/service/register', { ID: 'web-2', Name: 'web', Tags: ['v2'], Meta: { env: 'qa' }, Port: 8081, Check: { TTL: '30s' } });
    const ext = {
      Node: 'ext-1',
      Address: '10.0.0.1',
      NodeMeta: { os: 'linux' },
      Service: { ID: 'db-1', Service: 'db', Tags: ['primary'], Port: 5432, TaggedAddresses: { lan: { Address: '10.0.0.1', Port: 5432 } } },
      Checks: [{ CheckID: 'db-check', Name: 'db', Status: 'warning', ServiceID: 'db-1' }],
    };
    expect((await put('/v1/catalog/register', ext)).status).to.equal(200);
    await within(5000, async () => ((await http(`${url}/v1/health/checks/web`)).json() as D[]).length === 2);
  });
  after(async () => {
    await agent?.stop();
  });

  it('/v1/agent/services filters the service map', async () => {
    expect(Object.keys((await items('/v1/agent/services', 'Meta.env == prod')) as D)).to.deep.equal(['web-1']);
    expect(Object.keys((await items('/v1/agent/services', 'Port != 8080 and "v2" in Tags')) as D)).to.deep.equal(['web-2']);
    expect(await items('/v1/agent/services', 'Meta.env == nope')).to.deep.equal({});
  });

  it('/v1/agent/checks filters the check map', async () => {
    expect(Object.keys((await items('/v1/agent/checks', 'Status == passing')) as D)).to.deep.equal(['service:web-1']);
    expect(await items('/v1/agent/checks', 'ServiceName == nope')).to.deep.equal({});
  });

  it('/v1/catalog/nodes filters nodes', async () => {
    expect(ids(await items('/v1/catalog/nodes', 'Meta.os == linux'), (n) => n.Node)).to.deep.equal(['ext-1']);
    // The servers' own nodes carry tagged addresses (one server with -dev, three on etcd); ext-1 has none.
    const all = (await http(`${url}/v1/catalog/nodes`)).json() as Array<{ Node: string; TaggedAddresses: Record<string, string> | null }>;
    const tagged = all.filter((n) => n.TaggedAddresses && 'lan' in n.TaggedAddresses).map((n) => n.Node).sort();
    expect(tagged).to.include(node);
    expect(tagged).to.not.include('ext-1');
    expect(ids(await items('/v1/catalog/nodes', `Node == "${node}" or "lan" in TaggedAddresses`), (n) => n.Node)).to.deep.equal(tagged);
    expect(await items('/v1/catalog/nodes', 'Meta.os == plan9')).to.deep.equal([]);
  });

  it('/v1/catalog/services filters instances, then lists the names and tags of those that match', async () => {
    expect(await items('/v1/catalog/services', 'ServiceTags contains primary')).to.deep.equal({ db: ['primary'], web: ['primary', 'v1'] });
    expect(await items('/v1/catalog/services', 'ServiceMeta.env == qa')).to.deep.equal({ web: ['v2'] });
    expect(await items('/v1/catalog/services', 'NodeMeta.os == linux')).to.deep.equal({ db: ['primary'] });
    expect(await items('/v1/catalog/services', 'ServiceName == nope')).to.deep.equal({});
  });

  it('/v1/catalog/service/:name filters the rows', async () => {
    expect(serviceIds(await items('/v1/catalog/service/web', 'ServiceMeta.env == qa'))).to.deep.equal(['web-2']);
    expect(serviceIds(await items('/v1/catalog/service/db', 'ServiceTaggedAddresses.lan.Port == 5432'))).to.deep.equal(['db-1']);
    expect(await items('/v1/catalog/service/web', 'ServicePort == 1')).to.deep.equal([]);
  });

  it("/v1/catalog/node-services/:node and /v1/catalog/node/:node filter the node's services", async () => {
    const list = (await items('/v1/catalog/node-services/ext-1', 'Tags contains primary')) as { Node: D; Services: D[] };
    expect(list.Node.Node).to.equal('ext-1');
    expect(list.Services.map((s) => s.ID)).to.deep.equal(['db-1']);
    expect(((await items('/v1/catalog/node-services/ext-1', 'Port == 1')) as { Services: D[] }).Services).to.deep.equal([]);
    const map = (await items(`/v1/catalog/node/${node}`, 'Meta.env == qa')) as { Services: D };
    expect(Object.keys(map.Services)).to.deep.equal(['web-2']);
    expect(((await items(`/v1/catalog/node/${node}`, 'Meta.env == nope')) as { Services: D }).Services).to.deep.equal({});
  });

  it('/v1/health/node/:node, /v1/health/checks/:service and /v1/health/state/:state filter checks', async () => {
    expect(checkIds(await items(`/v1/health/node/${node}`, 'ServiceName == web'))).to.deep.equal(['service:web-1', 'service:web-2']);
    expect(checkIds(await items(`/v1/health/node/${node}`, 'ServiceName == ""'))).to.deep.equal(['serfHealth']);
    expect(await items(`/v1/health/node/${node}`, 'Status == warning')).to.deep.equal([]);
    expect(checkIds(await items('/v1/health/checks/web', 'Status == critical'))).to.deep.equal(['service:web-2']);
    expect(await items('/v1/health/checks/web', 'Status == warning')).to.deep.equal([]);
    expect(checkIds(await items('/v1/health/state/any', 'Node == "ext-1"'))).to.deep.equal(['db-check']);
    expect(checkIds(await items('/v1/health/state/passing', 'ServiceTags contains primary'))).to.deep.equal(['service:web-1']);
    expect(await items('/v1/health/state/critical', 'ServiceTags contains primary')).to.deep.equal([]);
  });

  it('/v1/health/service/:name filters entries; a selector through Checks holds when any check matches', async () => {
    const entryIds = (list: unknown) => ids(list, (e) => (e.Service as D).ID);
    // Every entry has the node's passing serfHealth check, so "any check passing" keeps both.
    expect(entryIds(await items('/v1/health/service/web', 'Checks.Status == passing'))).to.deep.equal(['web-1', 'web-2']);
    expect(entryIds(await items('/v1/health/service/web', 'Checks.Status == critical'))).to.deep.equal(['web-2']);
    expect(entryIds(await items('/v1/health/service/web', 'not Checks.Status == critical'))).to.deep.equal(['web-1']);
    expect(entryIds(await items('/v1/health/service/web', 'Service.Tags contains primary and Node.Node == "' + node + '"'))).to.deep.equal(['web-1']);
    expect(entryIds(await items('/v1/health/service/db', 'Node.Meta.os == linux'))).to.deep.equal(['db-1']);
    expect(await items('/v1/health/service/web', 'Service.Port == 1')).to.deep.equal([]);
    // With ?passing the filter applies to what passing leaves.
    expect(entryIds((await get('/v1/health/service/web', 'Service.Meta.env == prod', 'passing')).json())).to.deep.equal(['web-1']);
  });

  it('treats an empty ?filter= as no filter', async () => {
    const res = await get('/v1/agent/services', '');
    expect(Object.keys(res.json() as D).sort()).to.deep.equal(['web-1', 'web-2']);
  });

  const ENDPOINTS = [
    '/v1/agent/services',
    '/v1/agent/checks',
    '/v1/catalog/nodes',
    '/v1/catalog/services',
    '/v1/catalog/service/web',
    '/v1/catalog/node-services/ext-1',
    '/v1/catalog/node/ext-1',
    '/v1/health/node/ext-1',
    '/v1/health/checks/web',
    '/v1/health/service/web',
    '/v1/health/state/any',
  ];

  it('answers a bad filter on every endpoint with 400 and the position of the mistake', async () => {
    for (const path of ENDPOINTS) {
      const syntax = await get(path, 'Nope == 1 or');
      expect([syntax.status, syntax.text], path).to.deep.equal([400, 'Failed to create boolean expression evaluator: 1:13 (12): no match found, expected: [ \\t\\r\\n]']);
      const unknown = await get(path, 'Nope == 1');
      expect([unknown.status, unknown.text], path).to.deep.equal([400, 'Failed to create boolean expression evaluator: Selector "Nope" is not valid']);
    }
    const unmatched = await get('/v1/health/service/web', '(Checks.Status == passing\n  or Service.Port == 1');
    expect(unmatched.text).to.equal('Failed to create boolean expression evaluator: 2:23 (48): rule "grouping": Unmatched parentheses');
    const operator = await get('/v1/catalog/nodes', 'Meta == linux');
    expect([operator.status, operator.text]).to.deep.equal([400, 'Failed to create boolean expression evaluator: Invalid match operator "Equal" for selector "Meta"']);
    const value = await get('/v1/agent/services', 'Port == eighty');
    expect(value.text).to.equal('Failed to create boolean expression evaluator: Failed to coerce value "eighty" for selector "Port": strconv.ParseInt: parsing "eighty": invalid syntax');
    const pattern = await get('/v1/health/checks/web', 'Output matches "(unclosed"');
    expect(value.status).to.equal(400);
    expect(pattern.text).to.equal('Failed to create boolean expression evaluator: Failed to compile regular expression "(unclosed": error parsing regexp: missing closing ): `(unclosed`');
  });

  it('leaves everything else as it was after bad filters', async () => {
    const before = await get('/v1/agent/services');
    await get('/v1/agent/services', 'Service ==');
    await get('/v1/health/service/web', 'Nope == 1');
    const after = await get('/v1/agent/services');
    expect(after.text).to.equal(before.text);
    expect(after.headers.get('x-consul-index')).to.equal(before.headers.get('x-consul-index'));
    expect(Object.keys((await items('/v1/agent/services', 'Meta.env == prod')) as D)).to.deep.equal(['web-1']);
  });

  it('refuses a bad filter at once, before any blocking wait', async () => {
    const first = await get('/v1/health/service/web');
    const started = Date.now();
    const res = await get('/v1/health/service/web', 'Service.Port ==', `index=${first.headers.get('x-consul-index')}&wait=20s`);
    expect(res.status).to.equal(400);
    expect(Date.now() - started).to.be.below(10_000);
  });

  it('refuses ?filter where no filter applies (KV), rather than ignoring it', async () => {
    await put('/v1/kv/filter-test', 'x');
    const res = await get('/v1/kv/filter-test', 'Key == x');
    expect([res.status, res.text]).to.deep.equal([400, 'Filter expressions (?filter=) are not supported by this endpoint']);
  });

  it('never answers a filtered read from the unfiltered cache, or the other way round', async () => {
    const cases: Array<[string, string]> = [
      ['/v1/health/service/web', 'Service.Port == 8081'],
      ['/v1/catalog/service/web', 'ServicePort == 8081'],
    ];
    for (const [path, filter] of cases) {
      const all = await get(path);
      const filtered = await get(path, filter);
      const again = await get(path);
      const filteredAgain = await get(path, filter);
      expect((all.json() as D[]).length, path).to.equal(2);
      expect((filtered.json() as D[]).length, path).to.equal(1);
      expect(again.text, path).to.equal(all.text);
      expect(filteredAgain.text, path).to.equal(filtered.text);
      // The index is the unfiltered read's, as in Consul.
      expect(filtered.headers.get('x-consul-index'), path).to.equal(all.headers.get('x-consul-index'));
    }
  });

  it('blocks with a filter: wakes on a change to the service and answers the filtered items', async () => {
    const first = await get('/v1/health/service/web', 'Service.Meta.env == staging');
    expect(first.json()).to.deep.equal([]);
    const index = first.headers.get('x-consul-index');
    const waiting = get('/v1/health/service/web', 'Service.Meta.env == staging', `index=${index}&wait=20s`);
    await put('/v1/agent/service/register', { ID: 'web-3', Name: 'web', Meta: { env: 'staging' }, Port: 8082 });
    const res = await waiting;
    expect(res.status).to.equal(200);
    expect(Number(res.headers.get('x-consul-index'))).to.be.greaterThan(Number(index));
    expect((res.json() as Array<{ Service: D }>).map((e) => e.Service.ID)).to.deep.equal(['web-3']);
    const unfiltered = await get('/v1/health/service/web');
    expect(res.headers.get('x-consul-index')).to.equal(unfiltered.headers.get('x-consul-index'));
    await http(`${url}/v1/agent/service/deregister/web-3`, { method: 'PUT' });
  });
});
