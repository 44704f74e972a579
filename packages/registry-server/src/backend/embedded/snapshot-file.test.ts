import { expect } from 'chai';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StateStore } from '../../state/state-store.js';
import { MemoryBackend } from '../memory-backend.js';
import { populate } from '../test-state.js';
import { replacer } from './record.js';
import { loadSnapshotFile, writeStateFile } from './snapshot-file.js';
import { takeSnapshot, type Snapshot } from '../../state/snapshot.js';

describe('snapshot files', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praetor-snapfile-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function state(extraKeys = 0): Promise<Snapshot> {
    const b = new MemoryBackend(new StateStore());
    await populate(b);
    const r = b.store.revision;
    for (let i = 0; i < extraKeys; i++) b.store.kv.put({ Key: `bulk/${i}`, Value: Buffer.alloc(512, i), Flags: 0, LockIndex: 0, CreateIndex: r, ModifyIndex: r });
    return takeSnapshot(b.store);
  }
  async function write(snap: Snapshot, name = 'snap.json'): Promise<string> {
    const file = path.join(dir, name);
    const fh = await fsp.open(file, 'w');
    await writeStateFile(fh, snap).finally(() => fh.close());
    return file;
  }

  it('writes one record per line between a header and an end record, and loads back the same state', async () => {
    const snap = await state();
    const file = await write(snap);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).to.include({ format: 'praetor-state', revision: snap.revision });
    expect(lines.length).to.equal(2 + snap.nodes.length + snap.services.length + snap.checks.length + snap.sessions!.length + snap.kv.length + snap.tombstones.length + snap.index.length);
    const store = new StateStore();
    expect(await loadSnapshotFile(file, store)).to.equal(snap.revision);
    expect(takeSnapshot(store)).to.deep.equal(snap);
  });

  it('lets the event loop run while a large state is written and loaded', async () => {
    const snap = await state(20_000);
    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const file = await write(snap);
    const written = turns;
    await loadSnapshotFile(file, new StateStore());
    spinning = false;
    // About 14 MB each way, in slices of at most 256 KiB or a few ms: dozens of turns, never one.
    expect(written).to.be.greaterThan(20);
    expect(turns - written).to.be.greaterThan(20);
  });

  it('throws, naming the file and leaving the store as it was, for a file cut short or damaged anywhere', async () => {
    const snap = await state(50);
    const whole = fs.readFileSync(await write(snap));
    const store = new StateStore();
    store.revision = 7;
    const cuts = [0, 10, whole.indexOf('\n') + 1, whole.length >> 1, whole.lastIndexOf('{"t":"end"'), whole.length - 2];
    for (const cut of cuts) {
      const file = path.join(dir, `cut-${cut}.json`);
      fs.writeFileSync(file, whole.subarray(0, cut));
      const err = await loadSnapshotFile(file, store).catch((e: Error) => e);
      expect(err, `cut at ${cut}`).to.be.instanceOf(Error);
      expect((err as Error).message).to.include(file);
      expect(store.revision).to.equal(7);
      expect(store.kv.size).to.equal(0);
    }
    const flipped = Buffer.from(whole);
    flipped[whole.indexOf('bulk/7') + 5] = '8'.charCodeAt(0);
    fs.writeFileSync(path.join(dir, 'flipped.json'), flipped);
    const err = await loadSnapshotFile(path.join(dir, 'flipped.json'), store).catch((e: Error) => e);
    expect((err as Error).message).to.match(/SHA256 mismatch/);
  });

  it('still loads a snapshot file written as one JSON document (before record streams)', async () => {
    const snap = await state();
    const file = path.join(dir, 'old.json');
    fs.writeFileSync(file, JSON.stringify(snap, replacer));
    const store = new StateStore();
    expect(await loadSnapshotFile(file, store)).to.equal(snap.revision);
    expect(takeSnapshot(store)).to.deep.equal(snap);
  });
});
