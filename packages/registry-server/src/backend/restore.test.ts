import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { kvSetTx } from '../commands/kv-set.js';
import { SnapshotError } from '../errors.js';
import type { ApiRequest } from '../http/api-request.js';
import { blockingQuery } from '../http/blocking-query.js';
import { kvGet } from '../state/queries/kv.js';
import { StateStore } from '../state/state-store.js';
import { EmbeddedBackend } from './embedded/embedded-backend.js';
import { takeSnapshot, type Snapshot } from '../state/snapshot.js';
import { MemoryBackend } from './memory-backend.js';
import { stateFromSnapshot } from './restore-state.js';
import { populate } from './test-state.js';

const log = winston.createLogger({ silent: true });
/** A restore as PUT /v1/snapshot makes one: the snapshot loaded (and checked) into a scratch store first. */
const restoreFrom = async (b: MemoryBackend | EmbeddedBackend, snap: Snapshot) => b.restore(stateFromSnapshot(snap));
const set = (b: { submit: MemoryBackend['submit'] }, key: string, v: string) => b.submit((tx) => kvSetTx(tx, { Key: key, Value: Buffer.from(v), Flags: 0 }));

/** A snapshot of a small state (revision 5), and a store that has moved well past it. */
async function fixtures(): Promise<{ snap: Snapshot }> {
  const a = new MemoryBackend(new StateStore());
  await populate(a);
  return { snap: takeSnapshot(a.store) };
}

async function busy(b: MemoryBackend | EmbeddedBackend): Promise<void> {
  await populate(b, 'other-node');
  for (let i = 0; i < 10; i++) await set(b, `busy/${i}`, String(i));
}

describe('Backend.restore', () => {
  it('memory: replaces every table, the index table and the revision, and releases blocking queries', async () => {
    const { snap } = await fixtures();
    const b = new MemoryBackend(new StateStore());
    await busy(b);
    const index = b.store.kv.keyIndex('busy/9');
    const fakeReq = { closed: false, onClose: () => () => undefined } as unknown as ApiRequest;
    const waiting = blockingQuery(b.store, fakeReq, { minIndex: index, waitMs: 600_000, consistency: 'leader' }, (s, ws) => kvGet(s, ws, 'busy/9'));
    expect(waiting).to.be.instanceOf(Promise);
    const generation = b.store.watches.generation;

    await restoreFrom(b, snap);
    expect(takeSnapshot(b.store)).to.deep.equal(snap);
    expect(b.store.watches.generation).to.equal(generation + 1);
    // The waiter answers at once from the restored state, where the key is missing at a lower index.
    const res = await waiting;
    expect(res.value).to.equal(undefined);
    expect(res.index).to.be.lessThan(index);
    // Writes go on from the restored revision.
    await set(b, 'next', 'x');
    expect(b.store.kv.get('next')!.CreateIndex).to.equal(snap.revision + 1);
  });

  it('memory: a snapshot that does not load is refused and changes nothing', async () => {
    const { snap } = await fixtures();
    const b = new MemoryBackend(new StateStore());
    await busy(b);
    const before = takeSnapshot(b.store);
    const err = await restoreFrom(b, { ...snap, nodes: 5 } as unknown as Snapshot).catch((e: Error) => e);
    expect(err).to.be.instanceOf(SnapshotError);
    expect(takeSnapshot(b.store)).to.deep.equal(before);
  });

  describe('embedded', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praetor-restore-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const open = async () => {
      const b = new EmbeddedBackend(new StateStore(), dir, log, { snapshotRecords: 4 });
      await b.open();
      return b;
    };
    const files = () => fs.readdirSync(path.join(dir, 'state')).sort();

    it('persists the restored state in place of the old log, so a restart loads it', async () => {
      const { snap } = await fixtures();
      const a = await open();
      await busy(a);
      await restoreFrom(a, snap);
      expect(takeSnapshot(a.store)).to.deep.equal(snap);
      const pad = (n: number) => String(n).padStart(20, '0');
      expect(files()).to.deep.equal([`snapshot-${pad(snap.revision)}.json`, `wal-${pad(snap.revision + 1)}.log`]);
      expect(fs.readdirSync(dir).sort()).to.deep.equal(['state']);
      await set(a, 'after', '1');
      await a.close();

      const b = await open();
      expect(b.store.revision).to.equal(snap.revision + 1);
      expect(b.store.kv.get('after')!.ModifyIndex).to.equal(snap.revision + 1);
      expect(b.store.kv.get('busy/0')).to.equal(undefined);
      const { revision, ...rest } = takeSnapshot(b.store);
      expect(revision).to.equal(snap.revision + 1);
      expect(rest.nodes).to.deep.equal(snap.nodes);
      expect(rest.tombstones).to.deep.equal(snap.tombstones);
      await b.close();
    });

    it('makes writes submitted during a restore wait, and applies them after it', async () => {
      const { snap } = await fixtures();
      const a = await open();
      await busy(a);
      const restoring = restoreFrom(a, snap);
      const write = set(a, 'during', 'x');
      await Promise.all([restoring, write]);
      expect(a.store.kv.get('during')!.ModifyIndex).to.equal(snap.revision + 1);
      await a.close();
      const b = await open();
      expect(b.store.kv.get('during')!.ModifyIndex).to.equal(snap.revision + 1);
      await b.close();
    });

    it('finishes a restore interrupted between its renames, and drops one interrupted before', async () => {
      const { snap } = await fixtures();
      const a = await open();
      await restoreFrom(a, snap);
      await a.close();
      // Interrupted after the old state dir was moved aside: only state.restore is whole.
      fs.renameSync(path.join(dir, 'state'), path.join(dir, 'state.restore'));
      fs.mkdirSync(path.join(dir, 'state.old'));
      const b = await open();
      expect(takeSnapshot(b.store)).to.deep.equal(snap);
      expect(fs.readdirSync(dir).sort()).to.deep.equal(['state']);
      await b.close();
      // Interrupted while state.restore was being written: the live state stays.
      fs.mkdirSync(path.join(dir, 'state.restore'));
      fs.writeFileSync(path.join(dir, 'state.restore', 'snapshot-00000000000000000001.json.tmp'), '{');
      const c = await open();
      expect(takeSnapshot(c.store)).to.deep.equal(snap);
      expect(fs.readdirSync(dir).sort()).to.deep.equal(['state']);
      await c.close();
    });

    it('refuses a snapshot that does not load, leaving the state and the files as they were', async () => {
      const a = await open();
      await busy(a);
      const before = takeSnapshot(a.store);
      const had = files();
      const err = await restoreFrom(a, { ...before, kv: null } as unknown as Snapshot).catch((e: Error) => e);
      expect(err).to.be.instanceOf(SnapshotError);
      expect(takeSnapshot(a.store)).to.deep.equal(before);
      expect(files()).to.deep.equal(had);
      await set(a, 'still', 'writable');
      await a.close();
    });
  });
});

describe('StateStore.replaceWith', () => {
  it('takes every field of the other store but the watch hub', async () => {
    const a = new MemoryBackend(new StateStore());
    await populate(a);
    const b = new StateStore();
    const hub = b.watches;
    b.replaceWith(a.store);
    expect(b.watches).to.equal(hub);
    for (const [k, v] of Object.entries(a.store)) if (k !== 'watches') expect((b as unknown as Record<string, unknown>)[k], k).to.equal(v);
  });
});
