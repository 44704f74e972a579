import { expect } from 'chai';
import winston from 'winston';
import { stateFromSnapshot } from '../backend/restore-state.js';
import { MemoryBackend } from '../backend/memory-backend.js';
import { kvDeleteTx } from '../commands/kv-delete.js';
import { kvSetTx } from '../commands/kv-set.js';
import { kvGet, kvList } from './queries/kv.js';
import { StateStore } from './state-store.js';
import { TombstoneGc } from './tombstone-gc.js';

describe('TombstoneGc', () => {
  it('forgets tombstones older than the TTL without any KV index going backwards', async () => {
    const store = new StateStore();
    const b = new MemoryBackend(store);
    let now = 0;
    const gc = new TombstoneGc(store, winston.createLogger({ silent: true }), { ttlMs: 1000, now: () => now });
    await b.submit((tx) => kvSetTx(tx, { Key: 'p/a', Value: null, Flags: 0 }));
    await b.submit((tx) => kvSetTx(tx, { Key: 'p/b', Value: null, Flags: 0 }));
    await b.submit((tx) => kvDeleteTx(tx, { Key: 'p/b' }));
    const index = () => [store.read((s, ws) => kvList(s, ws, 'p/')).value.index, store.read((s, ws) => kvGet(s, ws, 'p/b')).value.index];
    const before = index();
    expect(before).to.deep.equal([3, 3]);
    expect(gc.tick()).to.equal(0); // noted at revision 3, too young to reap
    now = 500;
    await b.submit((tx) => kvDeleteTx(tx, { Key: 'p/a' }));
    now = 1000;
    expect(gc.tick()).to.equal(1); // the mark at revision 3 is a TTL old: p/b's tombstone goes
    expect(store.kv.tombstones.has('p/b')).to.equal(false);
    expect(store.kv.tombstones.has('p/a')).to.equal(true);
    const after = index();
    expect(after[0]).to.be.at.least(before[0]);
    expect(after[1]).to.be.at.least(before[1]);
  });

  it('forgets its marks when a restore moved the revision back, so newer tombstones are not reaped early', async () => {
    const store = new StateStore();
    const b = new MemoryBackend(store);
    let now = 0;
    const gc = new TombstoneGc(store, winston.createLogger({ silent: true }), { ttlMs: 1000, now: () => now });
    for (let i = 0; i < 5; i++) await b.submit((tx) => kvSetTx(tx, { Key: `r/${i}`, Value: null, Flags: 0 }));
    gc.tick(); // noted at revision 5
    // A restore to an empty state at revision 1, then a delete at revision 3.
    await b.restore(stateFromSnapshot({ revision: 1, nodes: [], services: [], checks: [], kv: [], tombstones: [], index: [], kvFloor: 0 }));
    await b.submit((tx) => kvSetTx(tx, { Key: 'y', Value: null, Flags: 0 }));
    await b.submit((tx) => kvDeleteTx(tx, { Key: 'y' }));
    now = 1000;
    expect(gc.tick()).to.equal(0); // the old mark at revision 5 would have reaped y's tombstone (revision 3)
    expect(store.kv.tombstones.get('y')).to.equal(3);
  });

  it('forgets lock delays that ran out, so they do not pile up', async () => {
    const store = new StateStore();
    const b = new MemoryBackend(store);
    let now = 10_000;
    const gc = new TombstoneGc(store, winston.createLogger({ silent: true }), { ttlMs: 1000, now: () => now });
    await b.submit((tx) => {
      kvSetTx(tx, { Key: 'a', Value: null, Flags: 0 });
      tx.putLockDelay('a', now + 100);
      tx.putLockDelay('b', now + 5000);
    });
    gc.tick();
    expect([...store.sessions.lockDelays.keys()]).to.deep.equal(['a', 'b']);
    now += 100;
    gc.tick();
    expect([...store.sessions.lockDelays.keys()]).to.deep.equal(['b']);
    now += 5000;
    expect(store.sessions.lockDelayed('b', now)).to.equal(false);
    expect(store.sessions.lockDelays.size).to.equal(0);
  });
});
