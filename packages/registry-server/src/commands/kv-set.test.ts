import { expect } from 'chai';
import { MemoryBackend } from '../backend/memory-backend.js';
import { StateStore } from '../state/state-store.js';
import { kvSetTx } from './kv-set.js';
import { kvDeleteTreeTx, kvDeleteTx } from './kv-delete.js';

describe('kv commands', () => {
  let store: StateStore;
  let backend: MemoryBackend;
  const set = (Key: string, v: string, Cas?: number) => backend.submit((tx) => kvSetTx(tx, { Key, Value: Buffer.from(v), Flags: 0, Cas }));
  beforeEach(() => {
    store = new StateStore();
    backend = new MemoryBackend(store);
  });

  it('cas=0 creates only when absent', async () => {
    expect(await set('k', 'a', 0)).to.equal(true);
    expect(await set('k', 'b', 0)).to.equal(false);
    expect(store.kv.get('k')!.Value!.toString()).to.equal('a');
  });

  it('cas=N writes only when ModifyIndex is N', async () => {
    await set('k', 'a');
    const idx = store.kv.get('k')!.ModifyIndex;
    expect(await set('k', 'b', idx + 1)).to.equal(false);
    expect(await set('k', 'b', idx)).to.equal(true);
    expect(store.kv.get('k')!.Value!.toString()).to.equal('b');
  });

  it('delete with cas needs the matching index; delete-tree removes the prefix only', async () => {
    await set('a/1', 'x');
    await set('a/2', 'x');
    await set('b/1', 'x');
    expect(await backend.submit((tx) => kvDeleteTx(tx, { Key: 'a/1', Cas: 999 }))).to.equal(false);
    await backend.submit((tx) => kvDeleteTreeTx(tx, { Prefix: 'a/' }));
    expect([...store.kv.entries.keys()]).to.deep.equal(['b/1']);
  });

  it('a failed cas changes nothing and moves no index', async () => {
    await set('k', 'a');
    const rev = store.revision;
    await set('k', 'z', 0);
    expect(store.revision).to.equal(rev);
  });
});
