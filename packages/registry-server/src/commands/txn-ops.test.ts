import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { EmbeddedBackend } from '../backend/embedded/embedded-backend.js';
import { MemoryBackend } from '../backend/memory-backend.js';
import { kvGet } from '../state/queries/kv.js';
import { StateStore } from '../state/state-store.js';
import { WatchSet } from '../state/watch-set.js';
import { DEFAULT_WEIGHTS } from '../structs/service.js';
import { kvSetTx } from './kv-set.js';
import { MAX_TXN_OPS, TxnRollback, txnRead, txnTx, type TxnError, type TxnOp, type TxnResult } from './txn-ops.js';

const kv = (Verb: string, Key: string, extra: { Value?: string; Index?: number; Flags?: number; Session?: string } = {}): TxnOp => ({
  KV: { Verb, Key, Value: extra.Value === undefined ? null : Buffer.from(extra.Value), Flags: extra.Flags ?? 0, Index: extra.Index ?? 0, Session: extra.Session ?? '' },
});
const node = (Verb: string, name: string, extra: { Address?: string; ModifyIndex?: number; ID?: string } = {}): TxnOp => ({
  Node: { Verb, Node: { ID: extra.ID ?? '', Node: name, Address: extra.Address ?? '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: {}, ModifyIndex: extra.ModifyIndex ?? 0 } },
});
const service = (Verb: string, nodeName: string, ID: string, name = 'web', ModifyIndex = 0): TxnOp => ({
  Service: { Verb, Node: nodeName, Service: { ID, Service: name, Tags: ['v1'], Address: '', Meta: {}, Port: 80, Weights: { ...DEFAULT_WEIGHTS }, EnableTagOverride: false, ModifyIndex } },
});
const check = (Verb: string, nodeName: string, CheckID: string, extra: { ServiceID?: string; Status?: string; ModifyIndex?: number; Name?: string } = {}): TxnOp => ({
  Check: { Verb, Check: { Node: nodeName, CheckID, Name: extra.Name ?? CheckID, Status: extra.Status ?? 'passing', Notes: '', Output: '', ServiceID: extra.ServiceID ?? '', Definition: {}, ModifyIndex: extra.ModifyIndex ?? 0 } },
});

const kvOf = (r: TxnResult) => ('KV' in r ? r.KV : undefined);

describe('txn operations (commands/txn-ops)', () => {
  let store: StateStore;
  let backend: MemoryBackend;
  beforeEach(() => {
    store = new StateStore();
    backend = new MemoryBackend(store);
  });

  const run = async (ops: TxnOp[]) => (await backend.submit((tx) => txnTx(tx, ops))).results();
  /** Submits ops that must roll back; returns the errors. */
  async function rollback(ops: TxnOp[]): Promise<TxnError[]> {
    try {
      await backend.submit((tx) => txnTx(tx, ops));
    } catch (err) {
      if (err instanceof TxnRollback) return err.errors;
      throw err;
    }
    throw new Error('the transaction was applied');
  }
  const put = (key: string, v: string) => backend.submit((tx) => kvSetTx(tx, { Key: key, Value: Buffer.from(v), Flags: 0 }));

  it('commits every write in one revision and answers with the indexes of that revision', async () => {
    await put('existing', 'old');
    const results = await run([kv('set', 'a', { Value: '1', Flags: 7 }), kv('set', 'b', { Value: '2' }), kv('set', 'existing', { Value: 'new' })]);
    expect(store.revision).to.equal(2);
    expect(results.map(kvOf).map((e) => [e!.Key, e!.Flags, e!.Value, e!.CreateIndex, e!.ModifyIndex])).to.deep.equal([
      ['a', 7, null, 2, 2],
      ['b', 0, null, 2, 2],
      ['existing', 0, null, 1, 2],
    ]);
    expect(store.kv.get('a')!.Value!.toString()).to.equal('1');
    expect(store.kv.get('existing')!.Value!.toString()).to.equal('new');
  });

  it('one failing check-index rolls back every write, bumps no index and fires no watch', async () => {
    await put('k', 'v');
    await put('guard', 'g');
    const before = store.revision;
    const ws = new WatchSet();
    kvGet(store, ws, 'a');
    kvGet(store, ws, 'k');
    let fired = false;
    store.watches.wait(ws, () => (fired = true));
    const errors = await rollback([
      kv('set', 'a', { Value: '1' }),
      kv('delete', 'k'),
      node('set', 'n1'),
      kv('check-index', 'guard', { Index: 999 }),
      kv('set', 'b', { Value: '2' }),
    ]);
    expect(errors).to.deep.equal([{ OpIndex: 3, What: `failed index check for key "guard", current modify index ${before} != 999` }]);
    expect(store.revision).to.equal(before);
    expect(store.kv.get('a')).to.equal(undefined);
    expect(store.kv.get('k')!.Value!.toString()).to.equal('v');
    expect(store.catalog.nodes.size).to.equal(0);
    expect(store.index.get('kv')).to.equal(before);
    expect(fired).to.equal(false);
  });

  it('reports every failing operation, not just the first', async () => {
    const errors = await rollback([kv('set', 'x'), kv('get', 'missing'), kv('bogus', 'x'), kv('check-not-exists', 'x'), service('set', 'nope', 's')]);
    expect(errors).to.deep.equal([
      { OpIndex: 1, What: 'key "missing" doesn\'t exist' },
      { OpIndex: 2, What: 'unknown KV verb "bogus"' },
      { OpIndex: 3, What: 'key "x" exists' },
      { OpIndex: 4, What: 'Missing node registration' },
    ]);
  });

  it('vetting errors (a missing key) are reported alone, before anything is applied', async () => {
    const errors = await rollback([kv('set', 'a'), kv('get', 'missing'), kv('delete', ''), kv('delete-tree', '')]);
    expect(errors).to.deep.equal([{ OpIndex: 2, What: 'Must provide key' }]);
  });

  it('reads see the earlier writes of the same transaction', async () => {
    await put('t/old', 'x');
    const results = await run([
      kv('set', 't/new', { Value: 'fresh' }),
      kv('delete', 't/old'),
      kv('get', 't/new'),
      kv('get-tree', 't/'),
      kv('check-not-exists', 't/old'),
      node('set', 'n1'),
      service('set', 'n1', 'web-1'),
      check('set', 'n1', 'c1', { ServiceID: 'web-1' }),
      check('get', 'n1', 'c1'),
    ]);
    const rev = store.revision;
    expect(results.map((r) => Object.keys(r)[0])).to.deep.equal(['KV', 'KV', 'KV', 'Node', 'Service', 'Check', 'Check']);
    expect(kvOf(results[1])).to.deep.include({ Key: 't/new', Value: Buffer.from('fresh'), CreateIndex: rev, ModifyIndex: rev });
    expect(kvOf(results[2])!.Key).to.equal('t/new');
    const c = (results[6] as { Check: { ServiceName: string; ServiceTags: string[]; ModifyIndex: number } }).Check;
    expect([c.ServiceName, c.ServiceTags, c.ModifyIndex]).to.deep.equal(['web', ['v1'], rev]);
    expect(store.kv.get('t/old')).to.equal(undefined);
  });

  it('a write that changes nothing keeps its indexes and commits no revision', async () => {
    await put('same', 'v');
    const results = await run([kv('set', 'same', { Value: 'v' })]);
    expect(store.revision).to.equal(1);
    expect(kvOf(results[0])).to.deep.include({ CreateIndex: 1, ModifyIndex: 1, Value: null });
  });

  it('cas and delete-cas follow Consul: 0 creates only, a gone key counts as deleted', async () => {
    await put('k', 'v');
    const idx = store.kv.get('k')!.ModifyIndex;
    expect(await rollback([kv('cas', 'k', { Value: 'x', Index: 0 })])).to.deep.equal([{ OpIndex: 0, What: 'failed to set key "k", index is stale' }]);
    expect(await rollback([kv('delete-cas', 'k', { Index: idx + 1 })])).to.deep.equal([{ OpIndex: 0, What: 'failed to delete key "k", index is stale' }]);
    await run([kv('cas', 'k', { Value: 'x', Index: idx }), kv('cas', 'new', { Value: 'y', Index: 0 }), kv('delete-cas', 'gone', { Index: 5 })]);
    expect(store.kv.get('k')!.Value!.toString()).to.equal('x');
    await run([kv('delete-cas', 'k', { Index: store.kv.get('k')!.ModifyIndex })]);
    expect(store.kv.get('k')).to.equal(undefined);
  });

  it('lock and unlock: only with a live session, only the holder unlocks; check-session compares the holder', async () => {
    const s1 = '00000000-0000-4000-8000-000000000001';
    const s2 = '00000000-0000-4000-8000-000000000002';
    const session = (ID: string) => ({ t: 'session' as const, k: ID, v: { ID, Name: '', Node: 'n', LockDelay: 0, Behavior: 'release' as const, TTL: '', NodeChecks: [], ServiceChecks: null } });
    store.commit(store.revision + 1, [session(s1), session(s2)]);
    await put('k', 'v');
    expect(await rollback([kv('set', 'other', { Value: '1' }), kv('lock', 'k'), kv('lock', 'k', { Session: '00000000-0000-4000-8000-00000000000f' })])).to.deep.equal([
      { OpIndex: 1, What: 'missing session' },
      { OpIndex: 2, What: 'invalid session "00000000-0000-4000-8000-00000000000f"' },
    ]);
    expect(store.kv.get('other')).to.equal(undefined);
    await run([kv('lock', 'k', { Session: s1, Value: 'held' })]);
    expect(store.kv.get('k')).to.include({ Session: s1, LockIndex: 1 });
    expect(await rollback([kv('lock', 'k', { Session: s2 })])).to.deep.equal([{ OpIndex: 0, What: 'failed to lock key "k", lock is already held' }]);
    expect(await rollback([kv('unlock', 'k', { Session: s2 })])).to.deep.equal([
      { OpIndex: 0, What: 'failed to unlock key "k", lock isn\'t held, or is held by another session' },
    ]);
    expect(txnRead(store, [kv('check-session', 'k', { Session: s1 })]).errors).to.deep.equal([]);
    expect(txnRead(store, [kv('check-session', 'k', { Session: s2 })]).errors).to.deep.equal([
      { OpIndex: 0, What: `failed session check for key "k", current session "${s1}" != "${s2}"` },
    ]);
    await run([kv('unlock', 'k', { Session: s1 })]);
    expect(store.kv.get('k')!.Session).to.equal(undefined);
  });

  it('node, service and check verbs: cas, get by ID, delete removes what the node owns', async () => {
    const id = '0f0e0d0c-0b0a-0908-0706-050403020100';
    await run([node('set', 'n1', { ID: id }), service('set', 'n1', 'web-1'), check('set', 'n1', 'c1', { ServiceID: 'web-1' })]);
    const got = txnRead(store, [node('get', '', { ID: id.toUpperCase() })]);
    expect((got.results[0] as { Node: { Node: string } }).Node.Node).to.equal('n1');
    const nIdx = store.catalog.nodes.get('n1')!.ModifyIndex;
    expect(await rollback([node('cas', 'n1', { ModifyIndex: nIdx + 1 }), service('cas', 'n1', 'web-1', 'web', 0), check('delete-cas', 'n1', 'nope', { ModifyIndex: 1 })])).to.deep.equal([
      { OpIndex: 0, What: 'failed to set node "n1", index is stale' },
      { OpIndex: 1, What: 'failed to set service "web-1" on node "n1", index is stale' },
      { OpIndex: 2, What: 'failed to delete check "nope" on node "n1", index is stale' },
    ]);
    await run([node('cas', 'n1', { ModifyIndex: nIdx, Address: '10.0.0.2' })]);
    expect(store.catalog.nodes.get('n1')!.Address).to.equal('10.0.0.2');
    await run([node('delete', 'n1')]);
    expect([store.catalog.nodes.size, store.catalog.nodeServices('n1').length, store.catalog.nodeChecks('n1').length]).to.deep.equal([0, 0, 0]);
  });

  it('a service write needs a name with its ID; a check write takes its name as ID', async () => {
    await run([node('set', 'n1')]);
    expect(await rollback([service('set', 'n1', 'x', '')])).to.deep.equal([{ OpIndex: 0, What: 'Must provide service name with ID' }]);
    const byName = check('set', 'n1', '', { Name: 'named' });
    await run([byName]);
    expect(store.catalog.getCheck('n1', 'named')).to.not.equal(undefined);
  });

  it('a read-only transaction changes nothing even when its operations fail', async () => {
    await put('k', 'v');
    const r = txnRead(store, [kv('get', 'k'), kv('get', 'nope')]);
    expect(r.results).to.deep.equal([]);
    expect(r.errors).to.deep.equal([{ OpIndex: 1, What: 'key "nope" doesn\'t exist' }]);
    expect(store.revision).to.equal(1);
  });

  it(`${MAX_TXN_OPS} operations commit together in one revision`, async () => {
    const ops = Array.from({ length: MAX_TXN_OPS }, (_, i) => kv('set', `many/${i}`, { Value: String(i) }));
    const results = await run(ops);
    expect(results).to.have.length(MAX_TXN_OPS);
    expect(store.revision).to.equal(1);
    expect(store.kv.size).to.equal(MAX_TXN_OPS);
  });

  it('on the embedded backend, a rolled-back transaction leaves nothing in the log', async () => {
    const log = winston.createLogger({ silent: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praetor-txn-'));
    try {
      const a = new EmbeddedBackend(new StateStore(), dir, log);
      await a.open();
      await a.submit((tx) => txnTx(tx, [kv('set', 'kept', { Value: '1' }), kv('set', 'also', { Value: '2' })]));
      const failed = await a.submit((tx) => txnTx(tx, [kv('set', 'lost', { Value: '3' }), kv('get', 'nope')])).catch((e: unknown) => e);
      expect(failed).to.be.instanceOf(TxnRollback);
      await a.close();
      const b = new EmbeddedBackend(new StateStore(), dir, log);
      await b.open();
      expect([...b.store.kv.entries.keys()].sort()).to.deep.equal(['also', 'kept']);
      expect(b.store.revision).to.equal(1);
      await b.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
