import { startTarget, TARGETS } from './targets.js';
import { expect } from 'chai';
import net from 'node:net';
import { http, startAgent, type AgentProcess } from './harness.js';

/** A raw request, so the path reaches the agent exactly as written (fetch would clean `..`). */
function rawPut(agent: AgentProcess, path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(agent.port, agent.host);
    let data = '';
    sock.on('data', (d) => (data += d));
    sock.on('error', reject);
    sock.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1]);
      resolve({ status, text: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
    // Not half-closed: the server closes the connection after its answer (Connection: close).
    sock.write(`PUT ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nv`);
  });
}

/** Issue 8: /v1/txn applies the key checks that /v1/kv applies to its path, with the same texts. */
for (const target of TARGETS) describe(`KV keys through /v1/txn and /v1/kv [${target}]`, function () {
  this.timeout(30000);
  let agent: AgentProcess;

  before(async () => {
    agent = await startTarget(target, ['-dev', '-log-level=warn']);
  });
  after(async () => {
    await agent?.stop();
  });

  const txn = (ops: unknown[]) => http(`${agent.url}/v1/txn`, { method: 'PUT', body: JSON.stringify(ops) });
  const set = (Key: string) => ({ KV: { Verb: 'set', Key, Value: 'dg==' } });

  const BAD: Array<[string, string, number]> = [
    // key, problem, what /v1/kv/<key> answers
    ['a\u0000b', 'contains a NUL byte (%00)', 400],
    ['a\nb', 'contains an unprintable character (%0A)', 400],
    ['/lead', 'must not start with "/"', 301],
    ['a//b', 'contains an empty path segment ("//")', 301],
    ['../x', 'contains a "." or ".." path segment', 301],
    ['a/../b', 'contains a "." or ".." path segment', 301],
    ['a/./b', 'contains a "." or ".." path segment', 301],
  ];

  for (const [key, problem, kvStatus] of BAD) {
    it(`refuses ${JSON.stringify(key)} in a txn set with 409 at its op index, as /v1/kv refuses it (${kvStatus})`, async () => {
      const res = await txn([set('fine'), set(key)]);
      expect(res.status, res.text).to.equal(409);
      expect(res.json()).to.deep.equal({ Results: null, Errors: [{ OpIndex: 1, What: `Invalid key ${JSON.stringify(key)}: ${problem}` }] });
      // Nothing of the transaction was applied.
      expect((await http(`${agent.url}/v1/kv/fine`)).status).to.equal(404);

      const path = `/v1/kv/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
      const kv = await rawPut(agent, path);
      expect(kv.status, kv.text).to.equal(kvStatus);
      if (kvStatus === 400) expect(kv.text).to.equal(`Invalid URL path: ${problem}`);
    });
  }

  it('refuses bad keys in cas, lock and reads too, but lets delete verbs remove any key', async () => {
    const session = (await http(`${agent.url}/v1/session/create`, { method: 'PUT', body: '{}' })).json() as { ID: string };
    const ops = [
      { KV: { Verb: 'cas', Key: '/x', Index: 0, Value: 'dg==' } },
      { KV: { Verb: 'lock', Key: 'a//b', Session: session.ID, Value: 'dg==' } },
      { KV: { Verb: 'get', Key: 'a\u0000' } },
    ];
    const res = await txn(ops);
    expect(res.status, res.text).to.equal(409);
    expect((res.json() as { Errors: Array<{ OpIndex: number }> }).Errors.map((e) => e.OpIndex)).to.deep.equal([0, 1, 2]);
    const del = await txn([{ KV: { Verb: 'delete', Key: '../x' } }, { KV: { Verb: 'delete-tree', Key: '/a' } }]);
    expect(del.status, del.text).to.equal(200);
  });

  it('stores the keys /v1/kv stores', async () => {
    const keys = ['a/.hidden', 'a..b', 'dir/', 'a b', 'é'];
    const res = await txn(keys.map(set));
    expect(res.status, res.text).to.equal(200);
    const listed = (await http(`${agent.url}/v1/kv/?keys`)).json() as string[];
    expect(listed).to.include.members(keys);
  });
});
