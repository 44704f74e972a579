import { expect } from 'chai';
import { request, type IncomingMessage } from 'node:http';
import { http, startAgent, type AgentProcess } from './harness.js';

/**
 * Bad input gets Consul's status and a message that says what was wrong; the process stays up
 * and no other data changes.
 */
describe('bad input', function () {
  this.timeout(30000);
  let agent: AgentProcess;
  let url: string;
  let kvBefore: string;

  before(async () => {
    agent = await startAgent(['-dev']);
    url = agent.url;
    await http(`${url}/v1/kv/keep/me`, { method: 'PUT', body: 'safe' });
    await http(`${url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'steady', Port: 1 }) });
    kvBefore = (await http(`${url}/v1/kv/?recurse`)).text;
  });
  after(async () => {
    // Nothing a bad request did may have changed data, and the agent is still answering.
    expect((await http(`${url}/v1/kv/?recurse`)).text).to.equal(kvBefore);
    expect(((await http(`${url}/v1/agent/services`)).json() as Record<string, unknown>).steady).to.not.equal(undefined);
    await agent.stop();
  });

  const cases: Array<[string, string, string | undefined, number, RegExp]> = [
    ['malformed JSON', 'PUT /v1/agent/service/register', '{bad', 400, /Request decode failed/],
    // Go's decoder refuses JSON nested too deep; Praetor at 1,000 levels (past that its stack would overflow: a 500).
    ['JSON nested too deep', 'PUT /v1/agent/service/register', `{"Name":"x","Meta":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`, 400, /^Request decode failed: invalid character '\[' exceeded max depth$/],
    ['proxy config nested too deep', 'PUT /v1/config', `{"Kind":"proxy-defaults","Name":"global","Config":{"a":${'{"b":'.repeat(1500)}1${'}'.repeat(1500)}}}`, 400, /exceeded max depth/],
    ['txn nested too deep', 'PUT /v1/txn', `[{"KV":{"Verb":"set","Key":"d","Value":${'['.repeat(20000)}${']'.repeat(20000)}}}]`, 400, /^Failed to parse body: invalid character '\[' exceeded max depth$/],
    ['empty body', 'PUT /v1/agent/service/register', '', 400, /Request decode failed: EOF/],
    ['wrong type', 'PUT /v1/agent/service/register', '{"Name":"x","Port":"80"}', 400, /field "Port": expected an integer/],
    ['non-integer port', 'PUT /v1/agent/service/register', '{"Name":"x","Port":80.5}', 400, /expected an integer, got 80.5/],
    ['unknown field', 'PUT /v1/agent/service/register', '{"Name":"x","Bogus":1}', 400, /unknown field "Bogus"/],
    ['missing name', 'PUT /v1/agent/service/register', '{"Port":1}', 400, /Missing service name/],
    ['unknown check type', 'PUT /v1/agent/service/register', '{"Name":"x","Check":{"Name":"c"}}', 400, /set one of HTTP, TCP, GRPC/],
    ['unsupported check type', 'PUT /v1/agent/check/register', '{"Name":"c","UDP":"1.1.1.1:53","Interval":"10s"}', 400, /UDP checks are not supported/],
    ['invalid duration', 'PUT /v1/agent/service/register', '{"Name":"x","Check":{"HTTP":"http://127.0.0.1:1","Interval":"10"}}', 400, /invalid duration "10".*missing unit/],
    ['bad check status', 'PUT /v1/agent/service/register', '{"Name":"x","Check":{"TTL":"10s","Status":"bogus"}}', 400, /Status for checks must be/],
    ['script check without enable_script_checks', 'PUT /v1/agent/check/register', '{"Name":"c","Args":["true"],"Interval":"10s"}', 400, /Scripts are disabled/],
    ['connect proxy without destination or port', 'PUT /v1/agent/service/register', '{"Name":"x","Kind":"connect-proxy"}', 400, /2 errors occurred:\n\t\* Proxy.DestinationServiceName must be non-empty/],
    ['bad meta key', 'PUT /v1/agent/service/register', '{"Name":"x","Meta":{"bad key":"v"}}', 400, /Invalid Service Meta/],
    ['array body', 'PUT /v1/catalog/register', '[]', 400, /expected an object/],
    ['catalog register without address', 'PUT /v1/catalog/register', '{"Node":"n"}', 500, /Must provide address/],
    ['negative index', 'GET /v1/kv/keep/me?index=-1', undefined, 400, /Invalid index/],
    ['non-numeric index', 'GET /v1/kv/keep/me?index=abc', undefined, 400, /Invalid index/],
    ['index over uint64', 'GET /v1/kv/keep/me?index=99999999999999999999999', undefined, 400, /Invalid index/],
    ['bare-number wait', 'GET /v1/kv/keep/me?index=1&wait=10', undefined, 400, /Invalid wait time/],
    ['stale and consistent', 'GET /v1/kv/keep/me?stale&consistent', undefined, 400, /Cannot specify \?stale with \?consistent/],
    ['unknown datacenter', 'GET /v1/catalog/nodes?dc=mars', undefined, 500, /No path to datacenter/],
    ['NUL byte in key', 'PUT /v1/kv/a%00b', 'x', 400, /NUL/],
    ['bad escape in key', 'PUT /v1/kv/%zz', 'x', 400, /Invalid URL path escape/],
    ['bad flags', 'PUT /v1/kv/keep/me?flags=-3', 'x', 400, /Invalid flags/],
    ['delete with cas=0', 'DELETE /v1/kv/keep/me?cas=0', undefined, 400, /Invalid cas index/],
    ['unknown service deregister', 'PUT /v1/agent/service/deregister/nope', undefined, 404, /Unknown service ID "nope"/],
    ['unknown check pass', 'PUT /v1/agent/check/pass/nope', undefined, 404, /Unknown check ID "nope"/],
    ['bad status in update', 'PUT /v1/agent/check/update/x', '{"Status":"bogus"}', 400, /Invalid check status/],
    ['maintenance without enable', 'PUT /v1/agent/maintenance', undefined, 400, /Missing value for enable/],
    ['unknown endpoint', 'GET /v1/nope', undefined, 404, /Unknown API endpoint/],
    ['bad filter expression', 'GET /v1/health/service/steady?filter=Service.Port%3D%3D', undefined, 400, /^Failed to create boolean expression evaluator: 1:15 \(14\): no match found/],
    ['filter on an endpoint without filtering (refused, not ignored)', 'GET /v1/kv/keep/me?filter=Key==x', undefined, 400, /Filter expressions .* not supported/],
    ['missing key name', 'PUT /v1/kv/', 'x', 400, /Missing key name/],
  ];

  for (const [name, request, body, status, message] of cases) {
    it(`${name}: ${status}`, async () => {
      const [method, path] = request.split(' ');
      const res = await http(`${url}${path}`, { method, body });
      expect(res.status, res.text).to.equal(status);
      expect(res.text).to.match(message);
    });
  }

  it('wrong method: 405 with Allow', async () => {
    const res = await http(`${url}/v1/kv/keep/me`, { method: 'POST', body: 'x' });
    expect(res.status).to.equal(405);
    expect(res.headers.get('allow')).to.equal('OPTIONS,GET,PUT,DELETE');
  });

  it('a value over 512 KiB: 413, and the key is untouched', async () => {
    const res = await http(`${url}/v1/kv/keep/me`, { method: 'PUT', body: Buffer.alloc(600 * 1024, 1) });
    expect(res.status).to.equal(413);
    expect(res.text).to.match(/too large, max size: 524288 bytes/);
  });

  it('an oversized JSON body: 413', async () => {
    const res = await http(`${url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'x', Meta: { a: 'x'.repeat(600 * 1024) } }) });
    expect(res.status).to.equal(413);
  });

  it('a path with .. is redirected to the clean path, as Consul does', async () => {
    // fetch would clean the path itself; send it raw.
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      request({ host: agent.host, port: agent.port, path: '/v1/kv/a/../keep/me', method: 'GET' }, resolve).on('error', reject).end();
    });
    res.resume();
    expect(res.statusCode).to.equal(301);
    expect(res.headers.location).to.equal('/v1/kv/keep/me');
  });
});
