import { expect } from 'chai';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { SnapshotError } from '../errors.js';
import { packTar, unpackTar } from '../internal/tar.js';
import { StateStore } from '../state/state-store.js';
import { replacer, reviver } from './embedded/record.js';
import { takeSnapshot, type Snapshot } from './embedded/snapshot.js';
import { MemoryBackend } from './memory-backend.js';
import { decodeSnapshotArchive, encodeSnapshotArchive } from './snapshot-archive.js';
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
    files.set('SHA256SUMS', Buffer.from(sum('meta.json') + sum('state.json')));
  }
  return zlib.gzipSync(packTar([...files].map(([n, data]) => ({ name: n, data }))));
}

function refusal(archive: Buffer): string {
  try {
    decodeSnapshotArchive(archive);
  } catch (err) {
    expect(err).to.be.instanceOf(SnapshotError);
    expect((err as SnapshotError).statusCode).to.equal(500);
    return (err as Error).message;
  }
  return expect.fail('the archive was accepted');
}

describe('snapshot archive', () => {
  it('round-trips the whole state, binary values and tombstones included', async () => {
    const snap = await snapshot();
    const archive = encodeSnapshotArchive(snap, 1_700_000_000_000);
    expect(archive.subarray(0, 2)).to.deep.equal(Buffer.from([0x1f, 0x8b]));
    const { meta, snapshot: back, tables } = decodeSnapshotArchive(archive);
    expect(back).to.deep.equal(JSON.parse(JSON.stringify(snap, replacer), reviver));
    expect(back.kv.find((e) => e.Key === 'k/bin')!.Value).to.deep.equal(Buffer.from([0, 255, 1]));
    expect(meta).to.include({ Format: 'praetor-snapshot', Version: 1, Index: snap.revision, Term: 1, ID: `1-${snap.revision}-1700000000000` });
    expect(back.kv.find((e) => e.Key === 'k/text')!.Flags).to.equal(0x2ddccbc058a50c18n);
    expect(back.kv.find((e) => e.Key === 'k/lock')!.Session).to.equal(back.sessions![0]!.ID);
    expect(tables).to.deep.equal({ nodes: 1, services: 1, checks: 1, kv: 3, sessions: 1, tombstones: 1, index: snap.index.length });
    expect([...unpackTar(zlib.gunzipSync(archive)).keys()]).to.deep.equal(['meta.json', 'state.json', 'SHA256SUMS']);
  });

  it('refuses what is not a whole, unchanged Praetor snapshot, saying why', async () => {
    const good = encodeSnapshotArchive(await snapshot());
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.alloc(0), /^failed to decompress snapshot: EOF$/],
      [Buffer.from('plain text'), /^failed to decompress snapshot: gzip: invalid header$/],
      [good.subarray(0, good.length - 20), /^failed to decompress snapshot: unexpected EOF$/],
      [zlib.gzipSync(Buffer.from('hello\n')), /^failed to read snapshot file: unexpected EOF$/],
      [zlib.gzipSync(packTar([{ name: 'meta.json', data: Buffer.from('{}') }, { name: 'state.bin', data: Buffer.from('x') }])), /this is a Consul snapshot/],
      [zlib.gzipSync(packTar([{ name: 'other.txt', data: Buffer.from('x') }])), /not a Praetor snapshot: it must hold meta\.json, state\.json and SHA256SUMS/],
      [rewrite(good, 'state.json', (d) => Buffer.from(d.toString().replace('"k/text"', '"k/TEXT"'))), /SHA256 mismatch for state\.json/],
      [rewrite(good, 'meta.json', (d) => Buffer.from(d.toString().replace('praetor-snapshot', 'praetor-snapshoT'))), /SHA256 mismatch for meta\.json/],
    ];
    for (const [archive, message] of cases) expect(refusal(archive)).to.match(message);
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
      [(s) => ((s as unknown as { nodes: unknown }).nodes = {}), /"nodes" must be an array/],
      [(s) => s.tombstones.push(['x', s.revision + 5]), /tombstones\[1\] must be a \[key, revision\] pair/],
      [(s) => (s.kv[0]!.Flags = -1), /kv\[0\]\.Flags is missing or of the wrong type/],
      [(s) => (s.kv[0]!.Flags = 2n ** 64n), /kv\[0\]\.Flags is missing or of the wrong type/],
      [(s) => (s.sessions![0]!.Node = 'ghost'), /session ".*" is on node "ghost"/],
      [(s) => (s.sessions = []), /key "k\/lock" is locked by session ".*", which is not in the snapshot/],
    ];
    for (const [mutate, message] of mutations) {
      const copy = decodeSnapshotArchive(encodeSnapshotArchive(snap)).snapshot;
      mutate(copy);
      expect(refusal(encodeSnapshotArchive(copy))).to.match(message);
    }
    const edit = (name: string, from: string, to: string) => rewrite(encodeSnapshotArchive(snap), name, (d) => Buffer.from(d.toString().replace(from, to)), true);
    expect(refusal(edit('meta.json', `"Index":${snap.revision}`, '"Index":1'))).to.match(new RegExp(`meta\\.json says index 1, the state is at ${snap.revision}`));
    expect(refusal(edit('meta.json', '"Version":1', '"Version":2'))).to.match(/unsupported snapshot version 2/);
    expect(refusal(edit('meta.json', 'praetor-snapshot', 'other-tool'))).to.match(/not a Praetor snapshot/);
    expect(refusal(edit('state.json', '{', '['))).to.match(/^failed to read snapshot state: /);
  });
});
