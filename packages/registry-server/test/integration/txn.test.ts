import { startTarget, TARGETS } from './targets.js';
import { expect } from 'chai';
import Consul from 'consul';
import fs from 'node:fs';
import path from 'node:path';
import { http, startAgent, tempDir, type AgentProcess } from './harness.js';

type Entry = { Key: string; Value: string | null; Flags: number; CreateIndex: number; ModifyIndex: number };
type TxnBody = { Results: Array<Record<string, Entry & Record<string, unknown>>> | null; Errors: Array<{ OpIndex: number; What: string }> | null } & Record<string, unknown>;

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** PUT /v1/txn against a real `praetor agent -dev`, as Consul 1.8.7 answers it. */
for (const target of TARGETS) describe(`PUT /v1/txn [${target}]`, function () {
  this.timeout(30000);
  let agent: AgentProcess;
  let url: string;

  before(async () => {
    agent = await startTarget(target, ['-dev']);
    url = agent.url;
  });
  after(async () => {
    await agent?.stop();
  });

  const txn = (ops: unknown, query = '') => http(`${url}/v1/txn${query}`, { method: 'PUT', body: typeof ops === 'string' ? ops : JSON.stringify(ops) });
  const kvIndex = async () => Number((await http(`${url}/v1/kv/?recurse`)).headers.get('x-consul-index'));

  it('applies writes in one revision; each result carries that revision and no value', async () => {
    const res = await txn([
      { KV: { Verb: 'set', Key: 'app/a', Value: b64('one'), Flags: 7 } },
      { KV: { Verb: 'set', Key: 'app/b', Value: b64('two') } },
      { KV: { Verb: 'get', Key: 'app/a' } },
    ]);
    expect(res.status, res.text).to.equal(200);
    expect(res.headers.get('x-consul-index')).to.equal(null);
    const body = res.json() as TxnBody;
    expect(Object.keys(body)).to.deep.equal(['Results', 'Errors']);
    expect(body.Errors).to.equal(null);
    const [a, b, got] = body.Results!.map((r) => r.KV);
    expect([a.Key, a.Value, a.Flags, b.Value, got.Value]).to.deep.equal(['app/a', null, 7, null, b64('one')]);
    expect(b.ModifyIndex).to.equal(a.ModifyIndex);
    expect(got.ModifyIndex).to.equal(a.ModifyIndex);
    expect(await kvIndex()).to.equal(a.ModifyIndex);
    const stored = (await http(`${url}/v1/kv/app/b`)).json() as Entry[];
    expect([stored[0].Value, stored[0].CreateIndex, stored[0].ModifyIndex]).to.deep.equal([b64('two'), a.ModifyIndex, a.ModifyIndex]);
  });

  it('rolls everything back when one operation fails: 409 with every error, nothing written, no index moved', async () => {
    const before = await kvIndex();
    const res = await txn([
      { KV: { Verb: 'set', Key: 'app/a', Value: b64('changed') } },
      { KV: { Verb: 'delete', Key: 'app/b' } },
      { KV: { Verb: 'set', Key: 'app/new', Value: b64('x') } },
      { KV: { Verb: 'check-index', Key: 'app/a', Index: 1 } },
      { KV: { Verb: 'get', Key: 'app/missing' } },
    ]);
    expect(res.status, res.text).to.equal(409);
    expect(res.headers.get('content-type')).to.equal('application/json');
    const body = res.json() as TxnBody;
    expect(body.Results).to.equal(null);
    expect(body.Errors!.map((e) => e.OpIndex)).to.deep.equal([3, 4]);
    // The key was written earlier in this transaction: its index is the commit's, unknown until
    // the backend commits (with etcd, whatever revision etcd gives it), so no index matches.
    expect(body.Errors![0].What).to.equal('failed index check for key "app/a", current modify index is this transaction\'s own write != 1');
    expect(body.Errors![1].What).to.equal('key "app/missing" doesn\'t exist');
    expect(await kvIndex()).to.equal(before);
    expect((await http(`${url}/v1/kv/app/a?raw`)).text).to.equal('one');
    expect((await http(`${url}/v1/kv/app/b?raw`)).text).to.equal('two');
    expect((await http(`${url}/v1/kv/app/new`)).status).to.equal(404);
  });

  it('answers a read-only transaction from the store with the query metadata Consul adds', async () => {
    const res = await txn([{ KV: { Verb: 'get-tree', Key: 'app/' } }, { KV: { Verb: 'check-not-exists', Key: 'app/zzz' } }], '?stale');
    expect(res.status, res.text).to.equal(200);
    expect(res.headers.get('x-consul-knownleader')).to.equal('true');
    // A ?stale read: how long ago the answering server heard from the store (always 0 with one
    // server on its own store; milliseconds with etcd).
    expect(res.headers.get('x-consul-lastcontact')).to.match(target === 'dev' ? /^0$/ : /^\d+$/);
    expect(res.headers.get('x-consul-index')).to.equal(null);
    const body = res.json() as TxnBody;
    expect(body.Results!.map((r) => [r.KV.Key, r.KV.Value])).to.deep.equal([
      ['app/a', b64('one')],
      ['app/b', b64('two')],
    ]);
    expect([body.Errors, body.Index, body.KnownLeader, body.ConsistencyLevel]).to.deep.equal([null, 0, true, '']);
    expect(String(body.LastContact)).to.equal(res.headers.get('x-consul-lastcontact'));

    const failed = await txn([{ KV: { Verb: 'get', Key: 'nope' } }]);
    expect(failed.status).to.equal(409);
    expect(failed.json()).to.deep.include({ Results: null, Errors: [{ OpIndex: 0, What: 'key "nope" doesn\'t exist' }], KnownLeader: true });
  });

  it('catalog operations see the earlier writes of the same transaction and show in health at once', async () => {
    const res = await txn([
      { Node: { Verb: 'set', Node: { Node: 'ext-1', Address: '10.9.0.1' } } },
      { Service: { Verb: 'set', Node: 'ext-1', Service: { ID: 'db-1', Service: 'db', Port: 5432, Tags: ['primary'] } } },
      { Check: { Verb: 'set', Check: { Node: 'ext-1', CheckID: 'db-alive', Name: 'db alive', Status: 'passing', ServiceID: 'db-1' } } },
      { Service: { Verb: 'get', Node: 'ext-1', Service: { ID: 'db-1' } } },
    ]);
    expect(res.status, res.text).to.equal(200);
    const results = (res.json() as TxnBody).Results!;
    expect(results.map((r) => Object.keys(r)[0])).to.deep.equal(['Node', 'Service', 'Check', 'Service']);
    const check = results[2].Check as unknown as { ServiceName: string; ServiceTags: string[]; ModifyIndex: number };
    expect([check.ServiceName, check.ServiceTags]).to.deep.equal(['db', ['primary']]);
    const health = (await http(`${url}/v1/health/service/db?passing`)).json() as Array<{ Node: { Node: string }; Service: { ID: string; ModifyIndex: number } }>;
    expect(health.map((e) => [e.Node.Node, e.Service.ID, e.Service.ModifyIndex])).to.deep.equal([['ext-1', 'db-1', check.ModifyIndex]]);

    const gone = await txn([{ Node: { Verb: 'delete', Node: { Node: 'ext-1' } } }]);
    expect(gone.status, gone.text).to.equal(200);
    expect((await http(`${url}/v1/health/service/db`)).json()).to.deep.equal([]);
  });

  it('lock, check-session and unlock with a real session; a held lock refuses another session', async () => {
    const session = ((await http(`${url}/v1/session/create`, { method: 'PUT', body: '{}' })).json() as { ID: string }).ID;
    const other = ((await http(`${url}/v1/session/create`, { method: 'PUT', body: '{}' })).json() as { ID: string }).ID;
    const locked = await txn([{ KV: { Verb: 'lock', Key: 'app/locked', Value: b64('mine'), Session: session } }]);
    expect(locked.status, locked.text).to.equal(200);
    expect((locked.json() as TxnBody).Results![0]).to.deep.nested.include({ 'KV.Session': session, 'KV.LockIndex': 1 });
    const refused = await txn([
      { KV: { Verb: 'set', Key: 'app/lockless', Value: b64('x') } },
      { KV: { Verb: 'lock', Key: 'app/locked', Session: other } },
    ]);
    expect(refused.status).to.equal(409);
    expect((refused.json() as TxnBody).Errors).to.deep.equal([{ OpIndex: 1, What: 'failed to lock key "app/locked", lock is already held' }]);
    expect((await http(`${url}/v1/kv/app/lockless`)).status).to.equal(404);
    const unlocked = await txn([
      { KV: { Verb: 'check-session', Key: 'app/locked', Session: session } },
      { KV: { Verb: 'unlock', Key: 'app/locked', Value: b64('free'), Session: session } },
    ]);
    expect(unlocked.status, unlocked.text).to.equal(200);
    const entry = (await http(`${url}/v1/kv/app/locked`)).json() as Array<{ Session?: string; Value: string }>;
    expect([entry[0].Session, entry[0].Value]).to.deep.equal([undefined, b64('free')]);
  });

  describe('bad input', () => {
    let kvBefore: string;
    before(async () => {
      kvBefore = (await http(`${url}/v1/kv/?recurse`)).text;
    });
    after(async () => {
      // No refused request wrote anything.
      expect((await http(`${url}/v1/kv/?recurse`)).text).to.equal(kvBefore);
    });

    const tooMany = JSON.stringify(Array.from({ length: 129 }, (_, i) => ({ KV: { Verb: 'set', Key: `many/${i}` } })));
    const cases: Array<[string, string, string, number, RegExp]> = [
      ['malformed JSON', '', '[{"KV":', 400, /^Failed to parse body: /],
      ['empty body', '', '', 400, /^Failed to parse body: EOF$/],
      ['an object, not a list', '', '{"KV":{}}', 400, /^Failed to parse body: .*expected an array/],
      ['unknown operation type', '', '[{"Session":{"Verb":"delete"}}]', 400, /^Failed to parse body: json: unknown field "Session"/],
      ['unknown KV field', '', '[{"KV":{"Verb":"set","Key":"k","Bogus":1}}]', 400, /unknown field "Bogus"/],
      ['bad base64 value', '', '[{"KV":{"Verb":"set","Key":"bad/b64","Value":"YW=j"}}]', 400, /^Failed to parse body: illegal base64 data at input byte 2$/],
      ['unknown verb (a per-operation error)', '', '[{"KV":{"Verb":"set","Key":"ok/1"}},{"KV":{"Verb":"frobnicate","Key":"k"}}]', 409, /"What":"unknown KV verb \\"frobnicate\\""/],
      ['missing key', '', '[{"KV":{"Verb":"set","Key":"ok/2"}},{"KV":{"Verb":"set"}}]', 409, /"OpIndex":1,"What":"Must provide key"/],
      ['129 operations', '', tooMany, 413, /^Transaction contains too many operations \(129 > 128\)$/],
      ['unknown datacenter', '?dc=mars', '[{"KV":{"Verb":"set","Key":"dc/1"}}]', 500, /^No path to datacenter$/],
      ['stale with consistent on a read', '?stale&consistent', '[{"KV":{"Verb":"get","Key":"app/a"}}]', 400, /Cannot specify \?stale with \?consistent/],
    ];
    for (const [name, query, body, status, message] of cases) {
      it(`${name}: ${status}`, async () => {
        const res = await txn(body, query);
        expect(res.status, res.text).to.equal(status);
        // JSON answers are compared compact (-dev indents them).
        expect(res.headers.get('content-type') === 'application/json' ? JSON.stringify(res.json()) : res.text).to.match(message);
      });
    }

    it('a body over txn_max_req_len: 413 with Consul\'s text', async () => {
      const big = JSON.stringify([{ KV: { Verb: 'set', Key: 'huge', Value: Buffer.alloc(600 * 1024).toString('base64') } }]);
      const res = await txn(big);
      expect(res.status).to.equal(413);
      expect(res.text).to.equal(`Request body(${big.length} bytes) too large, max size: 524288 bytes. See https://www.consul.io/docs/agent/options.html#txn_max_req_len.`);
    });

    it('GET: 405 with Allow', async () => {
      const res = await http(`${url}/v1/txn`);
      expect(res.status).to.equal(405);
      expect(res.headers.get('allow')).to.equal('OPTIONS,PUT');
    });
  });

  it('a value over limits.kv_max_value_size: 413, and nothing is written', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'limits.json');
    fs.writeFileSync(f, JSON.stringify({ limits: { kv_max_value_size: 16 } }));
    const small = await startAgent(['-dev', `-config-file=${f}`, '-http-port=0']);
    try {
      const res = await http(`${small.url}/v1/txn`, {
        method: 'PUT',
        body: JSON.stringify([{ KV: { Verb: 'set', Key: 'fits', Value: b64('ok') } }, { KV: { Verb: 'set', Key: 'big', Value: b64('x'.repeat(17)) } }]),
      });
      expect(res.status).to.equal(413);
      expect(res.text).to.equal('Value for key "big" is too large (17 > 16 bytes)');
      expect((await http(`${small.url}/v1/kv/fits`)).status).to.equal(404);
    } finally {
      await small.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('through the consul npm client', () => {
    let consul: Consul;
    before(() => {
      consul = new Consul({ host: agent.host, port: agent.port });
    });
    after(() => consul?.destroy());

    it('transaction.create applies the operations and returns Consul\'s body', async () => {
      const body = (await consul.transaction.create([
        { KV: { Verb: 'set', Key: 'npm/a', Value: b64('1') } },
        { KV: { Verb: 'cas', Key: 'npm/b', Value: b64('2'), Index: 0 } },
      ] as never)) as TxnBody;
      expect(body.Errors).to.equal(null);
      expect(body.Results!.map((r) => r.KV.Key)).to.deep.equal(['npm/a', 'npm/b']);
      expect(await consul.kv.get('npm/b')).to.deep.include({ Value: '2' });
    });

    it('transaction.create rejects a rolled-back transaction with the 409 body', async () => {
      const err = (await consul.transaction.create([{ KV: { Verb: 'set', Key: 'npm/c', Value: b64('3') } }, { KV: { Verb: 'cas', Key: 'npm/a', Value: b64('x'), Index: 0 } }] as never).catch((e: unknown) => e)) as {
        statusCode: number;
        response: { body: TxnBody };
      };
      expect(err.statusCode).to.equal(409);
      expect(err.response.body.Errors).to.deep.equal([{ OpIndex: 1, What: 'failed to set key "npm/a", index is stale' }]);
      expect(await consul.kv.get('npm/c')).to.equal(undefined);
    });
  });
});
