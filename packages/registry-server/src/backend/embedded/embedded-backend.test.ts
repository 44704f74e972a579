import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { kvSetTx } from '../../commands/kv-set.js';
import { kvDeleteTx } from '../../commands/kv-delete.js';
import { StateStore } from '../../state/state-store.js';
import { kvList } from '../../state/queries/kv.js';
import { EmbeddedBackend, type EmbeddedOptions } from './embedded-backend.js';

const log = winston.createLogger({ silent: true });

describe('EmbeddedBackend', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praetor-embedded-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function open(opts: EmbeddedOptions = {}): Promise<EmbeddedBackend> {
    const b = new EmbeddedBackend(new StateStore(), dir, log, opts);
    await b.open();
    return b;
  }
  const set = (b: EmbeddedBackend, key: string, v: string) => b.submit((tx) => kvSetTx(tx, { Key: key, Value: Buffer.from(v), Flags: 0 }));
  const state = (b: EmbeddedBackend) => [...b.store.kv.entries.values()].map((e) => [e.Key, e.Value?.toString(), e.ModifyIndex]);

  it('replays the log into an identical state after a restart', async () => {
    const a = await open();
    await Promise.all([set(a, 'x', '1'), set(a, 'y', '2'), set(a, 'z', '3')]);
    await a.submit((tx) => kvDeleteTx(tx, { Key: 'y' }));
    const before = state(a);
    await a.close();
    const b = await open();
    expect(state(b)).to.deep.equal(before);
    expect(b.store.revision).to.equal(4);
    // The tombstone came back too: the prefix index did not go backwards.
    expect(b.store.read((s, ws) => kvList(s, ws, 'y')).value.index).to.equal(4);
    await b.close();
  });

  it('snapshots and starts a new segment past the threshold, and restarts from the snapshot', async () => {
    const a = await open({ snapshotRecords: 5 });
    for (let i = 0; i < 23; i++) await set(a, `k${i}`, String(i));
    const before = state(a);
    await a.close();
    const files = fs.readdirSync(path.join(dir, 'state'));
    expect(files.filter((f) => f.startsWith('snapshot-')).length).to.equal(1);
    expect(files.filter((f) => f.startsWith('wal-')).length).to.equal(1);
    const b = await open({ snapshotRecords: 5 });
    expect(state(b)).to.deep.equal(before);
    await b.close();
  });

  it('drops a torn tail (a write never acknowledged) and keeps everything before it', async () => {
    const a = await open();
    await set(a, 'a', '1');
    await set(a, 'b', '2');
    await a.close();
    const seg = fs.readdirSync(path.join(dir, 'state')).find((f) => f.startsWith('wal-'))!;
    const file = path.join(dir, 'state', seg);
    fs.appendFileSync(file, Buffer.from([40, 0, 0, 0, 1, 2, 3, 4, 5])); // a header promising 40 bytes, then 5
    const b = await open();
    expect(state(b).map((e) => e[0])).to.deep.equal(['a', 'b']);
    await set(b, 'c', '3');
    await b.close();
    const c = await open();
    expect(state(c).map((e) => e[0])).to.deep.equal(['a', 'b', 'c']);
    await c.close();
  });

  it('acknowledges a burst of concurrent writes only once durable, in order, across overlapping syncs', async () => {
    const a = await open({ snapshotRecords: 150 });
    const acked: number[] = [];
    await Promise.all(Array.from({ length: 600 }, (_, i) => set(a, `burst/${i}`, String(i)).then(() => acked.push(i))));
    expect(acked).to.deep.equal(Array.from({ length: 600 }, (_, i) => i));
    const before = state(a);
    await a.close();
    const b = await open();
    expect(state(b)).to.deep.equal(before);
    expect(b.store.revision).to.equal(600);
    await b.close();
  });

  it('keeps the KV floor left by reaped tombstones across a snapshot and restart', async () => {
    const a = await open({ snapshotRecords: 3 });
    await set(a, 'gone', '1');
    await a.submit((tx) => kvDeleteTx(tx, { Key: 'gone' }));
    a.store.kv.reapTombstones(a.store.revision);
    for (let i = 0; i < 4; i++) await set(a, `later/${i}`, 'x');
    await a.close();
    const b = await open();
    expect(b.store.kv.floor).to.equal(2);
    expect(b.store.read((s, ws) => kvList(s, ws, 'gone')).value.index).to.equal(2);
    await b.close();
  });

  it('a write that changes nothing does not touch the log', async () => {
    const a = await open();
    await set(a, 'a', '1');
    await set(a, 'a', '1');
    expect(a.store.revision).to.equal(1);
    await a.close();
  });

  it('when the log cannot be written: the write fails with 500, later writes are refused, onFatal is told once', async () => {
    const fatal: string[] = [];
    const a = await open({ onFatal: (e) => fatal.push(e.message) });
    // Pull the file out from under the log, as a failing disk would.
    await (a as unknown as { wal: { handle: { close(): Promise<void> } } }).wal.handle.close();
    const first = await set(a, 'a', '1').catch((e: Error & { statusCode?: number }) => e);
    expect((first as { statusCode?: number }).statusCode).to.equal(500);
    const second = await set(a, 'b', '2').catch((e: Error) => e);
    expect((second as Error).message).to.match(/cannot be written/);
    expect(fatal.length).to.equal(1);
    await a.close();
  });

  it('refuses writes after close', async () => {
    const a = await open();
    await a.close();
    let err: Error | undefined;
    await set(a, 'a', '1').catch((e: Error) => (err = e));
    expect(err?.message).to.match(/shutting down/);
  });
});
