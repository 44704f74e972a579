import { expect } from 'chai';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { SnapshotError } from '../errors.js';
import { packTar, unpackTar } from '../internal/tar.js';
import { StateStore } from '../state/state-store.js';
import { replacer, reviver } from './embedded/record.js';
import { takeSnapshot, type Snapshot } from '../state/snapshot.js';
import { MemoryBackend } from './memory-backend.js';
import { snapshotArchiveBuffer } from './snapshot-archive.js';
import { readSnapshotArchive, type DecodedSnapshot } from './snapshot-archive-read.js';
import { populate } from './test-state.js';

async function snapshot(): Promise<Snapshot> {
  const b = new MemoryBackend(new StateStore());
  await populate(b);
  return takeSnapshot(b.store);
}

/** Rewrites one file of an archive; the checksums are left as they were unless `resum`. */
function rewrite(archive: Buffer, name: string, f: (data: Buffer) => Buffer, resum = false): Buffer {
  const files = unpackTar(zlib.gunzipSync(archive));
  files.set(name, f(files.get(name)!));
  if (resum) {
    const sum = (n: string) => `${crypto.createHash('sha256').update(files.get(n)!).digest('hex')}  ${n}\n`;
    files.set('SHA256SUMS', Buffer.from(sum('meta.json') + sum('state.jsonl')));
  }
  return zlib.gzipSync(packTar([...files].map(([n, data]) => ({ name: n, data }))));
}

describe('snapshot archive', () => {
  let tmpDir: string;
  beforeEach(() => (tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'praetor-archive-'))));
  afterEach(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

  const read = (archive: Buffer, maxBytes = 1024 ** 3) => readSnapshotArchive(Readable.from([archive]), { maxBytes, tmpDir });
  async function refusal(archive: Buffer, maxBytes?: number): Promise<string> {
    const err = await read(archive, maxBytes).then(
      () => expect.fail('the archive was accepted'),
      (e: Error) => e,
    );
    expect(err).to.be.instanceOf(SnapshotError);
    expect((err as SnapshotError).statusCode).to.equal(500);
    // Nothing is left behind in the spool directory.
    expect(fs.readdirSync(tmpDir)).to.deep.equal([]);
    return err.message;
  }
  const plain = (snap: Snapshot) => JSON.parse(JSON.stringify(snap, replacer), reviver) as Snapshot;

  it('round-trips the whole state as a record stream, binary values and tombstones included', async () => {
    const snap = await snapshot();
    const archive = await snapshotArchiveBuffer(snap, 1_700_000_000_000);
    expect(archive.subarray(0, 2)).to.deep.equal(Buffer.from([0x1f, 0x8b]));
    const { meta, store, tables }: DecodedSnapshot = await read(archive);
    const back = takeSnapshot(store);
    expect(back).to.deep.equal(plain(snap));
    expect(back.kv.find((e) => e.Key === 'k/bin')!.Value).to.deep.equal(Buffer.from([0, 255, 1]));
    expect(meta).to.include({ Format: 'praetor-snapshot', Version: 2, Index: snap.revision, Term: 1, ID: `1-${snap.revision}-1700000000000` });
    expect(back.kv.find((e) => e.Key === 'k/text')!.Flags).to.equal(0x2ddccbc058a50c18n);
    expect(back.kv.find((e) => e.Key === 'k/lock')!.Session).to.equal(back.sessions![0]!.ID);
    expect(tables).to.deep.equal({ nodes: 1, services: 1, checks: 1, kv: 3, sessions: 1, configs: 0, tombstones: 1, index: snap.index.length });
    const files = unpackTar(zlib.gunzipSync(archive));
    expect([...files.keys()]).to.deep.equal(['meta.json', 'state.jsonl', 'SHA256SUMS']);
    const lines = files.get('state.jsonl')!.toString().trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).to.deep.equal({ format: 'praetor-state', version: 1, revision: snap.revision, kvFloor: 0 });
    expect(JSON.parse(lines.at(-1)!)).to.include({ t: 'end', records: lines.length - 2 });
    expect(JSON.parse(files.get('meta.json')!.toString()).Size).to.equal(files.get('state.jsonl')!.length);
    expect(fs.readdirSync(tmpDir)).to.deep.equal([]);
  });

  /** A version 1 archive (the state as one JSON document) holding `state`. */
  function v1Archive(state: Buffer, revision: number): Buffer {
    const meta = Buffer.from(JSON.stringify({ Format: 'praetor-snapshot', Version: 1, ID: 'x', Index: revision, Term: 1, Size: state.length }));
    const sum = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
    const sums = Buffer.from(`${sum(meta)}  meta.json\n${sum(state)}  state.json\n`);
    return zlib.gzipSync(packTar([{ name: 'meta.json', data: meta }, { name: 'state.json', data: state }, { name: 'SHA256SUMS', data: sums }]));
  }

  it('still reads version 1 archives (the state as one JSON document)', async () => {
    const snap = await snapshot();
    const { store, tables } = await read(v1Archive(Buffer.from(JSON.stringify(snap, replacer)), snap.revision));
    expect(takeSnapshot(store)).to.deep.equal(plain(snap));
    expect(tables).to.include({ nodes: 1, kv: 3 });
  });

  it('refuses a version 1 document nested deeper than the API takes, before parsing it', async () => {
    const snap = await snapshot();
    const state = JSON.stringify(snap, replacer).replace('"Meta":{', `"Meta":{"deep":${'['.repeat(2000)}${']'.repeat(2000)},`);
    expect(await refusal(v1Archive(Buffer.from(state), snap.revision))).to.equal("failed to read snapshot state: invalid character '[' exceeded max depth");
  });

  it('refuses what is not a whole, unchanged Praetor snapshot, saying why', async () => {
    const good = await snapshotArchiveBuffer(await snapshot());
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.alloc(0), /^failed to decompress snapshot: EOF$/],
      [Buffer.from('plain text'), /^failed to decompress snapshot: gzip: invalid header$/],
      [good.subarray(0, good.length - 20), /^failed to decompress snapshot: unexpected EOF$/],
      [zlib.gzipSync(Buffer.from('hello\n')), /^failed to read snapshot file: unexpected EOF$/],
      [zlib.gzipSync(packTar([{ name: 'meta.json', data: Buffer.from('{}') }, { name: 'state.bin', data: Buffer.from('x') }])), /this is a Consul snapshot/],
      [zlib.gzipSync(packTar([{ name: 'other.txt', data: Buffer.from('x') }])), /not a Praetor snapshot: it must hold meta\.json, state\.jsonl and SHA256SUMS/],
      [rewrite(good, 'state.jsonl', (d) => Buffer.from(d.toString().replace('"k/text"', '"k/TEXT"'))), /SHA256 mismatch for state\.jsonl/],
      [rewrite(good, 'meta.json', (d) => Buffer.from(d.toString().replace('praetor-snapshot', 'praetor-snapshoT'))), /SHA256 mismatch for meta\.json/],
    ];
    for (const [archive, message] of cases) expect(await refusal(archive)).to.match(message);
  });

  it('stops inflating as soon as the archive passes the size cap', async () => {
    const good = await snapshotArchiveBuffer(await snapshot());
    expect(await refusal(good, 2048)).to.match(/^failed to decompress snapshot: the decompressed snapshot is larger than 2048 bytes \(limits\.snapshot_max_size\)$/);
    // A tar header that announces more state than the cap is refused before any of it is read.
    const bomb = zlib.gzipSync(packTar([{ name: 'state.jsonl', data: Buffer.alloc(4096, 10) }]).subarray(0, 512));
    expect(await refusal(bomb, 2048)).to.match(/larger than 2048 bytes/);
  });

  it('refuses a state that does not hold together, even with good checksums', async () => {
    const snap = await snapshot();
    const mutations: Array<[(s: Snapshot) => void, RegExp]> = [
      [(s) => ((s as { revision: unknown }).revision = -1), /"revision" must be a non-negative integer/],
      [(s) => (s.services[0]!.Node = 'ghost'), /service "web1" is on node "ghost", which is not in the snapshot/],
      [(s) => (s.checks[0]!.ServiceID = 'nope'), /check "c1" belongs to service "nope"/],
      [(s) => ((s.checks[0] as { Status: string }).Status = 'sick'), /check "c1" has status "sick"/],
      [(s) => (s.kv[0]!.ModifyIndex = s.revision + 1), /kv\[0\] has indexes/],
      [(s) => ((s.kv[0] as unknown as { Key: number }).Key = 5), /kv\[0\]\.Key is missing or of the wrong type/],
      [(s) => s.kv.push({ ...s.kv[0]! }), /appears twice/],
      [(s) => s.tombstones.push(['x', s.revision + 5]), /tombstones\[1\] must be a \[key, revision\] pair/],
      [(s) => (s.kv[0]!.Flags = -1), /kv\[0\]\.Flags is missing or of the wrong type/],
      [(s) => (s.kv[0]!.Flags = 2n ** 64n), /kv\[0\]\.Flags is missing or of the wrong type/],
      [(s) => (s.sessions![0]!.Node = 'ghost'), /session ".*" is on node "ghost"/],
      [(s) => (s.sessions = []), /key "k\/lock" is locked by session ".*", which is not in the snapshot/],
    ];
    for (const [mutate, message] of mutations) {
      const copy = takeSnapshot((await read(await snapshotArchiveBuffer(snap))).store);
      mutate(copy);
      expect(await refusal(await snapshotArchiveBuffer(copy))).to.match(message);
    }
    const good = await snapshotArchiveBuffer(snap);
    const edit = (name: string, from: string, to: string) => rewrite(good, name, (d) => Buffer.from(d.toString().replace(from, to)), true);
    expect(await refusal(edit('meta.json', `"Index":${snap.revision}`, '"Index":1'))).to.match(new RegExp(`meta\\.json says index 1, the state is at ${snap.revision}`));
    expect(await refusal(edit('meta.json', '"Version":2', '"Version":3'))).to.match(/unsupported snapshot version 3/);
    expect(await refusal(edit('meta.json', 'praetor-snapshot', 'other-tool'))).to.match(/not a Praetor snapshot/);
    expect(await refusal(edit('state.jsonl', '{', '['))).to.match(/^invalid snapshot state: line 1: /);
    // A record nested deeper than the API takes is refused before it is parsed.
    const deep = (d: Buffer) => Buffer.from(d.toString().replace('"Meta":{', `"Meta":{"deep":${'['.repeat(2000)}${']'.repeat(2000)},`));
    expect(await refusal(rewrite(good, 'state.jsonl', deep, true))).to.match(/^invalid snapshot state: line \d+: invalid character '\[' exceeded max depth$/);
    // Cut after a record: every line parses, but the end record (count and checksum) is missing.
    const cut = (d: Buffer) => d.subarray(0, d.lastIndexOf('\n', d.length - 2) + 1);
    expect(await refusal(rewrite(good, 'state.jsonl', cut, true))).to.match(/^invalid snapshot state: the state is truncated: no end record after \d+ records$/);
    // An index record dropped: every row holds together, but the count does not.
    const dropLine = (d: Buffer) => Buffer.from(d.toString().split('\n').filter((_, i, all) => i !== all.length - 3).join('\n'));
    expect(await refusal(rewrite(good, 'state.jsonl', dropLine, true))).to.match(/the end record counts \d+ records, the state holds \d+/);
  });
});
