import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { kvSetTx } from '../../commands/kv-set.js';
import { StateStore } from '../../state/state-store.js';
import { EmbeddedBackend } from './embedded-backend.js';

const log = winston.createLogger({ silent: true });

/** The embedded backend's snapshots are streamed: writes go on meanwhile, and none is lost. */
describe('EmbeddedBackend snapshots', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praetor-embedded-snap-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const open = async () => {
    const b = new EmbeddedBackend(new StateStore(), dir, log, { snapshotRecords: 50 });
    await b.open();
    return b;
  };
  const set = (b: EmbeddedBackend, key: string, v: Buffer) => b.submit((tx) => kvSetTx(tx, { Key: key, Value: v, Flags: 0 }));

  it('keeps every write acknowledged while a multi-slice snapshot was being written, across a restart', async () => {
    const a = await open();
    // About 6 MB of state: each snapshot takes many slices, and writes arrive during them.
    for (let i = 0; i < 60; i++) await set(a, `big/${i}`, Buffer.alloc(100_000, i));
    const acked = new Map<string, number>();
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        await set(a, `during/${i}`, Buffer.from(String(i)));
        acked.set(`during/${i}`, a.store.kv.get(`during/${i}`)!.ModifyIndex);
      }),
    );
    const revision = a.store.revision;
    await a.close();
    const files = fs.readdirSync(path.join(dir, 'state'));
    expect(files.filter((f) => /^snapshot-\d+\.json$/.test(f)).length).to.equal(1);
    expect(files.filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);

    const b = await open();
    expect(b.store.revision).to.equal(revision);
    for (const [key, index] of acked) expect(b.store.kv.get(key)?.ModifyIndex, key).to.equal(index);
    expect(b.store.kv.get('big/59')!.Value).to.deep.equal(Buffer.alloc(100_000, 59));
    await b.close();
  });
});
