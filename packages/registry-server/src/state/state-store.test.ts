import { expect } from 'chai';
import { MemoryBackend } from '../backend/memory-backend.js';
import { deregisterTx } from '../commands/deregister.js';
import { kvDeleteTx } from '../commands/kv-delete.js';
import { kvSetTx } from '../commands/kv-set.js';
import { registerTx, type RegisterRequest } from '../commands/register.js';
import { registerRequest, serviceInput } from '../commands/test-support.js';
import { checkUpdateTx } from '../commands/check-update.js';
import { StateStore } from './state-store.js';
import { WatchSet } from './watch-set.js';
import { healthService } from './queries/health.js';
import { kvGet, kvList } from './queries/kv.js';
import { catalogNodes } from './queries/catalog.js';

function reg(node: string, service?: string, extra: Partial<RegisterRequest> = {}): RegisterRequest {
  return registerRequest(node, { Service: service ? serviceInput(`${service}-1`, { Service: service }) : undefined, ...extra });
}

/** Runs a read, registers a watch on what it touched, and reports whether a later write fired it. */
function watch(store: StateStore, query: (s: StateStore, ws: WatchSet) => unknown): () => boolean {
  const ws = new WatchSet();
  query(store, ws);
  let fired = false;
  store.watches.wait(ws, () => (fired = true));
  return () => fired;
}

describe('StateStore', () => {
  let store: StateStore;
  let backend: MemoryBackend;
  beforeEach(() => {
    store = new StateStore();
    backend = new MemoryBackend(store);
  });

  it('stamps CreateIndex and ModifyIndex from the revision', async () => {
    await backend.submit((tx) => registerTx(tx, reg('n1', 'web')));
    await backend.submit((tx) => registerTx(tx, reg('n1', 'web', { Address: '10.0.0.2' })));
    const n = store.catalog.nodes.get('n1')!;
    expect([n.CreateIndex, n.ModifyIndex]).to.deep.equal([1, 2]);
    const s = store.catalog.getService('n1', 'web-1')!;
    expect([s.CreateIndex, s.ModifyIndex]).to.deep.equal([1, 1]);
  });

  it('a write that changes nothing bumps nothing', async () => {
    await backend.submit((tx) => registerTx(tx, reg('n1', 'web')));
    const fired = watch(store, (s, ws) => healthService(s, ws, 'web'));
    await backend.submit((tx) => registerTx(tx, reg('n1', 'web')));
    expect(store.revision).to.equal(1);
    expect(fired()).to.equal(false);
  });

  it('a watcher of one service is not woken by another service, nor by KV, even before it exists', async () => {
    const webFired = watch(store, (s, ws) => healthService(s, ws, 'web'));
    await backend.submit((tx) => registerTx(tx, reg('n1', 'api')));
    await backend.submit((tx) => kvSetTx(tx, { Key: 'a', Value: Buffer.from('1'), Flags: 0 }));
    expect(webFired()).to.equal(false);
    await backend.submit((tx) => registerTx(tx, reg('n2', 'web')));
    expect(webFired()).to.equal(true);
  });

  it('a check update wakes the health watchers of its service only', async () => {
    await backend.submit((tx) => registerTx(tx, reg('n1', 'web')));
    await backend.submit((tx) => registerTx(tx, reg('n2', 'api')));
    await backend.submit((tx) =>
      registerTx(tx, reg('n1', undefined, { Checks: [{ CheckID: 'c1', Name: 'c1', Status: 'critical', Notes: '', Output: '', ServiceID: 'web-1', Type: 'ttl', Definition: {} }] })),
    );
    const web = watch(store, (s, ws) => healthService(s, ws, 'web'));
    const api = watch(store, (s, ws) => healthService(s, ws, 'api'));
    await backend.submit((tx) => checkUpdateTx(tx, { Node: 'n1', CheckID: 'c1', Status: 'passing', Output: 'ok' }));
    expect([web(), api()]).to.deep.equal([true, false]);
  });

  it('a node-level check wakes watchers of every service on that node', async () => {
    await backend.submit((tx) => registerTx(tx, reg('n1', 'web')));
    await backend.submit((tx) => registerTx(tx, reg('n2', 'api')));
    const web = watch(store, (s, ws) => healthService(s, ws, 'web'));
    const api = watch(store, (s, ws) => healthService(s, ws, 'api'));
    await backend.submit((tx) =>
      registerTx(tx, reg('n1', undefined, { Checks: [{ CheckID: 'maint', Name: 'm', Status: 'critical', Notes: '', Output: '', ServiceID: '', Type: '', Definition: {} }] })),
    );
    expect([web(), api()]).to.deep.equal([true, false]);
  });

  it('the index of a service stays put after its last instance leaves (never backwards)', async () => {
    await backend.submit((tx) => registerTx(tx, reg('n1', 'web')));
    await backend.submit((tx) => registerTx(tx, reg('n2', 'api')));
    await backend.submit((tx) => deregisterTx(tx, { Node: 'n1', ServiceID: 'web-1' }));
    const { value } = store.read((s, ws) => healthService(s, ws, 'web'));
    expect(value.value).to.deep.equal([]);
    expect(value.index).to.equal(3);
  });

  it('KV watchers wake only for their key or prefix', async () => {
    const key = watch(store, (s, ws) => kvGet(s, ws, 'app/a'));
    const prefix = watch(store, (s, ws) => kvList(s, ws, 'app/'));
    const other = watch(store, (s, ws) => kvList(s, ws, 'other/'));
    await backend.submit((tx) => kvSetTx(tx, { Key: 'app/b', Value: null, Flags: 0 }));
    expect([key(), prefix(), other()]).to.deep.equal([false, true, false]);
  });

  it('a KV delete leaves a tombstone so the prefix index does not go backwards', async () => {
    await backend.submit((tx) => kvSetTx(tx, { Key: 'p/a', Value: null, Flags: 0 }));
    await backend.submit((tx) => kvSetTx(tx, { Key: 'p/b', Value: null, Flags: 0 }));
    await backend.submit((tx) => kvDeleteTx(tx, { Key: 'p/b' }));
    const { value } = store.read((s, ws) => kvList(s, ws, 'p/'));
    expect(value.index).to.equal(3);
    expect(value.value.map((e) => e.Key)).to.deep.equal(['p/a']);
  });

  it('indexes are never 0', () => {
    const { value } = store.read((s, ws) => catalogNodes(s, ws));
    expect(value.index).to.equal(1);
  });

  it('deregistering a node removes its services and checks', async () => {
    await backend.submit((tx) => registerTx(tx, reg('n1', 'web', { Checks: [{ CheckID: 'c', Name: 'c', Status: 'passing', Notes: '', Output: '', ServiceID: 'web-1', Type: '', Definition: {} }] })));
    await backend.submit((tx) => deregisterTx(tx, { Node: 'n1' }));
    expect(store.catalog.nodes.size).to.equal(0);
    expect(store.catalog.serviceInstances('web')).to.deep.equal([]);
    expect(store.catalog.allChecks()).to.deep.equal([]);
  });
});

describe('WatchSet', () => {
  it('falls back to the table-wide key past its limit', async () => {
    const { WATCH_LIMIT } = await import('./watch-set.js');
    const ws = new WatchSet();
    for (let i = 0; i < WATCH_LIMIT + 10; i++) ws.add(`service:s${i}`, 'services');
    expect(ws.keys.size).to.equal(WATCH_LIMIT + 1);
    expect(ws.keys.has('services')).to.equal(true);
  });
});
