import { expect } from 'chai';
import { MemoryBackend } from '../backend/memory-backend.js';
import { StateStore } from '../state/state-store.js';
import type { Session } from '../structs/session.js';
import type { Unindexed } from '../structs/indexed.js';
import { checkUpdateTx } from './check-update.js';
import { deregisterTx } from './deregister.js';
import { kvLockTx, kvUnlockTx } from './kv-lock.js';
import { kvSetTx } from './kv-set.js';
import { registerTx } from './register.js';
import { checkInput, registerRequest } from './test-support.js';
import { sessionCreateTx } from './session-create.js';
import { sessionDestroyTx } from './session-destroy.js';
import { Txn } from './txn.js';

describe('session commands', () => {
  let store: StateStore;
  let backend: MemoryBackend;
  let n = 0;
  const sid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const session = (over: Partial<Unindexed<Session>> = {}): Unindexed<Session> => ({
    ID: sid(),
    Name: '',
    Node: 'n1',
    LockDelay: 0,
    Behavior: 'release',
    TTL: '',
    NodeChecks: ['serfHealth'],
    ServiceChecks: null,
    ...over,
  });
  const create = (over: Partial<Unindexed<Session>> = {}) => backend.submit((tx) => sessionCreateTx(tx, session(over)));
  const lock = (Key: string, Session: string, v = 'x') => backend.submit((tx) => kvLockTx(tx, { Key, Value: Buffer.from(v), Flags: 0, Session }));
  const unlock = (Key: string, Session: string, v = 'x') => backend.submit((tx) => kvUnlockTx(tx, { Key, Value: Buffer.from(v), Flags: 0, Session }));
  const setCheck = (CheckID: string, Status: 'passing' | 'critical') => backend.submit((tx) => checkUpdateTx(tx, { Node: 'n1', CheckID, Status, Output: '' }));

  beforeEach(async () => {
    store = new StateStore();
    backend = new MemoryBackend(store);
    await backend.submit((tx) => registerTx(tx, registerRequest('n1', { Checks: [checkInput('serfHealth', { Type: 'ttl' }), checkInput('db', { Type: 'ttl' })] })));
  });

  it('create needs a registered node and bound checks that exist and are not critical', async () => {
    await expectFailure(create({ Node: 'nope' }), 'Missing node registration');
    await expectFailure(create({ NodeChecks: ['missing'] }), "Missing check 'missing' registration");
    await setCheck('db', 'critical');
    await expectFailure(create({ NodeChecks: ['db'] }), "Check 'db' is in critical state");
    const before = store.revision;
    await expectFailure(create({ Node: 'nope' }), 'Missing node registration');
    expect(store.revision, 'a refused create writes nothing').to.equal(before);
    const id = await create();
    expect(store.sessions.get(id)!.CreateIndex).to.equal(store.revision);
  });

  it('acquire: the holder may write again, others get false; a new holder bumps LockIndex', async () => {
    const a = await create();
    const b = await create();
    expect(await lock('k', a, 'one')).to.equal(true);
    expect(await lock('k', a, 'two')).to.equal(true);
    expect(store.kv.get('k')).to.include({ LockIndex: 1, Session: a });
    expect(await lock('k', b)).to.equal(false);
    expect(await unlock('k', b)).to.equal(false, 'only the holder releases');
    expect(await unlock('k', a, 'three')).to.equal(true);
    expect(store.kv.get('k')!.Session).to.equal(undefined);
    expect(store.kv.get('k')!.Value!.toString()).to.equal('three');
    expect(await lock('k', b)).to.equal(true);
    expect(store.kv.get('k')).to.include({ LockIndex: 2, Session: b });
  });

  it('acquire with an unknown session is an error and writes nothing', async () => {
    await expectFailure(lock('k', sid()), 'invalid session');
    expect(store.kv.get('k')).to.equal(undefined);
  });

  it('a plain write keeps the lock', async () => {
    const a = await create();
    await lock('k', a);
    await backend.submit((tx) => kvSetTx(tx, { Key: 'k', Value: Buffer.from('w'), Flags: 0 }));
    expect(store.kv.get('k')).to.include({ Session: a, LockIndex: 1 });
  });

  it('destroy releases every lock and holds the keys back for the lock-delay', async () => {
    const a = await create({ LockDelay: 5e9 });
    const b = await create();
    await lock('k1', a);
    await lock('k2', a);
    expect(await backend.submit((tx) => sessionDestroyTx(tx, a))).to.equal(true);
    expect(store.sessions.get(a)).to.equal(undefined);
    expect(store.kv.get('k1')!.Session).to.equal(undefined);
    expect(store.kv.get('k2')!.Session).to.equal(undefined);
    expect(await lock('k1', b)).to.equal(false, 'lock-delay holds the key');
    // The same acquire once the delay has passed (the Txn's clock is the only clock commands read).
    const later = new Txn(store, Date.now() + 5001);
    expect(kvLockTx(later, { Key: 'k1', Value: null, Flags: 0, Session: b })).to.equal(true);
    expect(await backend.submit((tx) => sessionDestroyTx(tx, a))).to.equal(false, 'destroying twice is harmless');
  });

  it('Behavior delete deletes the held keys', async () => {
    const a = await create({ Behavior: 'delete' });
    await lock('k', a);
    await backend.submit((tx) => sessionDestroyTx(tx, a));
    expect(store.kv.get('k')).to.equal(undefined);
  });

  it('a bound check turning critical ends the session and releases its locks; other sessions stay', async () => {
    const a = await create({ NodeChecks: ['db'] });
    const b = await create({ NodeChecks: [] });
    await lock('k', a);
    await setCheck('db', 'critical');
    expect(store.sessions.get(a)).to.equal(undefined);
    expect(store.sessions.get(b)).to.not.equal(undefined);
    expect(store.kv.get('k')!.Session).to.equal(undefined);
  });

  it('deregistering the node ends its sessions', async () => {
    const a = await create({ NodeChecks: [] });
    await lock('k', a);
    await backend.submit((tx) => deregisterTx(tx, { Node: 'n1' } as Parameters<typeof deregisterTx>[1]));
    expect(store.sessions.size).to.equal(0);
    expect(store.kv.get('k')!.Session).to.equal(undefined);
  });

  it('session writes fire the sessions watch key only', async () => {
    const fired = store.apply(store.revision + 1, [{ t: 'session', k: sid(), v: session() }]);
    expect([...fired.keys]).to.deep.equal(['sessions']);
    const delay = store.apply(store.revision + 1, [{ t: 'lock-delay', k: 'k', v: { Until: 1 } }]);
    expect([...delay.keys]).to.deep.equal([]);
  });
});

async function expectFailure(p: Promise<unknown>, message: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect((err as Error).message).to.include(message);
    return;
  }
  expect.fail(`expected an error: ${message}`);
}
