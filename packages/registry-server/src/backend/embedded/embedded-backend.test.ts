import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { kvSetTx } from '../../commands/kv-set.js';
import { kvDeleteTx } from '../../commands/kv-delete.js';
import { StateStore } from '../../state/state-store.js';
import { kvList } from '../../state/queries/kv.js';
import { TombstoneGc } from '../../state/tombstone-gc.js';
import { EmbeddedBackend, type EmbeddedOptions } from './embedded-backend.js';
import { takeSnapshot } from '../../state/snapshot.js';

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
  const stateDir = () => path.join(dir, 'state');
  const files = (pattern: RegExp) => fs.readdirSync(stateDir()).filter((f) => pattern.test(f)).sort();
  /** Every file under the data dir with its bytes, to show that a refused start changed nothing. */
  const contents = () => {
    const out: Record<string, string> = {};
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else out[path.relative(dir, p)] = fs.readFileSync(p).toString('base64');
      }
    };
    walk(dir);
    return out;
  };
  async function refusal(opts: EmbeddedOptions = {}): Promise<string> {
    const b = new EmbeddedBackend(new StateStore(), dir, log, opts);
    const err = await b.open().then(
      () => null,
      (e: Error) => e,
    );
    await b.close();
    expect(err, 'open() refused').to.be.instanceOf(Error);
    return err!.message;
  }
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

  it('refuses to start on a snapshot it cannot read, naming it, and deletes nothing; -recover-data-dir sets it aside', async () => {
    const a = await open({ snapshotRecords: 3 });
    for (let i = 0; i < 8; i++) await set(a, `k${i}`, String(i));
    await a.close();
    const [snap] = files(/^snapshot-/);
    const file = path.join(stateDir(), snap!);
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 40)); // cut short, as a bad disk would
    const before = contents();
    const message = await refusal();
    expect(message).to.contain(file).and.to.contain('-recover-data-dir').and.to.contain('praetor snapshot restore');
    expect(contents(), 'the data dir is unchanged').to.deep.equal(before);

    // Recovery: the snapshot goes aside intact; the log after it does not continue from nothing, so it goes too.
    const b = await open({ snapshotRecords: 3, recover: true });
    const damaged = fs.readdirSync(dir).filter((f) => f.startsWith('damaged-'));
    expect(damaged.length).to.equal(1);
    const aside = fs.readdirSync(path.join(dir, damaged[0]!));
    expect(aside).to.include(snap);
    expect(fs.readFileSync(path.join(dir, damaged[0]!, snap!)).length).to.equal(40);
    await set(b, 'after', 'x');
    await b.close();
    const c = await open();
    expect(state(c).map((e) => e[0])).to.deep.equal(['after']);
    await c.close();
  });

  it('refuses to start when the log does not continue the snapshot (a gap), naming the segment', async () => {
    const a = await open({ snapshotRecords: 3 });
    for (let i = 0; i < 8; i++) await set(a, `k${i}`, String(i));
    await a.close();
    // The snapshot is gone (deleted by hand): the log starts after revisions nothing holds.
    for (const f of files(/^snapshot-/)) fs.rmSync(path.join(stateDir(), f));
    const before = contents();
    const message = await refusal();
    const [seg] = files(/^wal-/);
    expect(message).to.contain(path.join(stateDir(), seg!)).and.to.match(/records in between are missing/);
    expect(contents()).to.deep.equal(before);
  });

  it('refuses to start on a bad record with valid records after it, naming file and byte, keeping everything', async () => {
    const a = await open();
    await set(a, 'a', '1');
    await set(a, 'b', '2');
    await set(a, 'c', '3');
    await a.close();
    const [seg] = files(/^wal-/);
    const file = path.join(stateDir(), seg!);
    const buf = fs.readFileSync(file);
    const second = 8 + buf.readUInt32LE(0);
    buf[second + 12] ^= 0xff; // a flipped byte inside the second record's payload
    fs.writeFileSync(file, buf);
    const before = contents();
    const message = await refusal();
    expect(message).to.contain(`${file} is damaged at byte ${second}`);
    expect(message).not.to.match(/never acknowledged/);
    expect(contents()).to.deep.equal(before);

    // Recovery keeps the good first record in place and the whole damaged segment aside.
    const b = await open({ recover: true });
    expect(state(b).map((e) => e[0])).to.deep.equal(['a']);
    await b.close();
    const [damaged] = fs.readdirSync(dir).filter((f) => f.startsWith('damaged-'));
    expect(fs.readFileSync(path.join(dir, damaged!, seg!)).equals(buf)).to.equal(true);
  });

  it('never writes lock delays to the log', async () => {
    const a = await open();
    await a.submit((tx) => {
      kvSetTx(tx, { Key: 'locked', Value: null, Flags: 0 });
      tx.putLockDelay('locked', tx.now + 15000);
    });
    expect(a.store.sessions.lockDelayed('locked', Date.now())).to.equal(true);
    await a.close();
    const log = files(/^wal-/).map((f) => fs.readFileSync(path.join(stateDir(), f), 'utf8')).join('');
    expect(log).to.contain('locked').and.not.to.contain('lock-delay');
  });

  it('keeps nothing of 100k written, deleted and reaped keys in the snapshot, before or after a restart', async function () {
    this.timeout(120000);
    const a = await open({ snapshotRecords: 3 });
    const keys = Array.from({ length: 100_000 }, (_, i) => `gone/${i}`);
    await a.submit((tx) => keys.forEach((Key) => kvSetTx(tx, { Key, Value: Buffer.from('v'), Flags: 0 })));
    await a.submit((tx) => keys.forEach((Key) => kvDeleteTx(tx, { Key })));
    let now = 0;
    const gc = new TombstoneGc(a.store, log, { ttlMs: 1000, now: () => now });
    gc.tick();
    now = 1000;
    expect(gc.tick()).to.equal(100_000);
    expect(JSON.stringify(takeSnapshot(a.store))).not.to.contain('gone/');
    // Enough writes to pass the threshold: the data dir's snapshot is taken after the reaping.
    for (let i = 0; i < 4; i++) await set(a, `kept/${i}`, 'x');
    await a.close();
    const snaps = files(/^snapshot-/);
    expect(snaps.length).to.equal(1);
    expect(fs.readFileSync(path.join(stateDir(), snaps[0]!), 'utf8')).not.to.contain('gone/');
    const b = await open();
    expect(JSON.stringify(takeSnapshot(b.store))).not.to.contain('gone/');
    expect(b.store.kv.floor).to.equal(2);
    await b.close();
  });

  it('holds reads until every applied write is durable, and later writes until those reads ran', async () => {
    const a = await open();
    await set(a, 'x', '0');
    expect(a.store.readable(), 'nothing pending: read at once').to.equal(null);
    const first = set(a, 'x', '1');
    // Applied (later commands see it) but not durable: a reader waits.
    expect(a.store.kv.get('x')?.Value?.toString()).to.equal('1');
    const barrier = a.store.readable();
    expect(barrier).to.be.instanceOf(Promise);
    let firstAcked = false;
    void first.then(() => (firstAcked = true));
    const second = set(a, 'x', '2');
    await barrier;
    // What a reader sees now: the durable write, and not the one submitted after it waited.
    expect(a.store.kv.get('x')?.Value?.toString()).to.equal('1');
    await second;
    expect(firstAcked).to.equal(true);
    expect(a.store.kv.get('x')?.Value?.toString()).to.equal('2');
    await a.close();
  });

  it('when the log cannot be written, a read waiting for that write fails with 500 instead of showing it', async () => {
    const a = await open({ onFatal: () => undefined });
    await set(a, 'x', '0');
    await (a as unknown as { wal: { handle: { close(): Promise<void> } } }).wal.handle.close();
    const write = set(a, 'x', '1').catch((e: Error & { statusCode?: number }) => e.statusCode);
    const read = a.store.readable()!.then(
      () => 'read ran',
      (e: Error & { statusCode?: number }) => e.statusCode,
    );
    expect(await write).to.equal(500);
    expect(await read).to.equal(500);
    await a.close();
  });
});
