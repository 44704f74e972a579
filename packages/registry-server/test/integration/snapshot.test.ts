import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { http, runPraetor, startAgent, tempDir, type AgentProcess } from './harness.js';

const NODE = 'snap-node';
const NODE_ID = '6b1d3c52-5d0a-4f3e-9a53-0c8d2f7e4a11';

/** The reads a restore must reproduce exactly: bodies and X-Consul-Index. */
const READS = [
  '/v1/catalog/nodes',
  '/v1/catalog/services',
  '/v1/catalog/service/web',
  '/v1/health/service/web',
  '/v1/health/state/any',
  '/v1/kv/?recurse',
  '/v1/kv/app/gone',
  '/v1/kv/app/?keys',
  '/v1/session/list',
];

async function state(url: string): Promise<Array<{ path: string; status: number; index: string | null; body: unknown }>> {
  const out = [];
  for (const p of READS) {
    const res = await http(`${url}${p}`);
    // Parsed: a -dev agent indents its JSON, a server does not.
    out.push({ path: p, status: res.status, index: res.headers.get('x-consul-index'), body: res.text ? res.json() : '' });
  }
  return out;
}

/** GET/PUT /v1/snapshot and `praetor snapshot save|restore|inspect` against real agents. */
describe('snapshots', function () {
  this.timeout(60000);
  let dir: string;
  const agents: AgentProcess[] = [];

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = async (args: string[]) => {
    const a = await startAgent([...args, `-node=${NODE}`, `-node-id=${NODE_ID}`, '-log-level=warn']);
    agents.push(a);
    return a;
  };
  const praetor = (url: string, args: string[]) => runPraetor(args, { env: { CONSUL_HTTP_ADDR: url, PRAETOR_HTTP_ADDR: undefined } });

  /** An agent with services, checks, KV entries (binary too) and a tombstone. */
  async function populated(): Promise<AgentProcess> {
    const a = await start(['-dev']);
    const put = (p: string, body: string | Buffer, method = 'PUT') => http(`${a.url}${p}`, { method, body });
    await put('/v1/agent/service/register', JSON.stringify({ ID: 'web1', Name: 'web', Port: 80, Tags: ['v1'], Check: { TTL: '60s' } }));
    await put('/v1/agent/check/pass/service:web1', '');
    await put('/v1/catalog/register', JSON.stringify({ Node: 'other', Address: '10.0.0.9', Service: { Service: 'web', Port: 8080 } }));
    await put('/v1/kv/app/a', 'one');
    await put('/v1/kv/app/bin', Buffer.from([0, 255, 1]));
    await put('/v1/kv/app/gone', 'x');
    await put('/v1/kv/app/gone', '', 'DELETE');
    await put('/v1/kv/app/flagged?flags=18446744073709551615', 'f');
    const session = (JSON.parse((await put('/v1/session/create', JSON.stringify({ Node: NODE, Name: 'holder' }))).text) as { ID: string }).ID;
    await put(`/v1/kv/app/lock?acquire=${session}`, 'held');
    return a;
  }

  it('saves, and restores into a fresh agent with a data dir: the same state and indexes, also after its restart', async () => {
    const src = await populated();
    const want = await state(src.url);
    const file = path.join(dir, 'backup.snap');
    const index = (await http(`${src.url}/v1/kv/?recurse`)).headers.get('x-consul-index');
    const saved = await praetor(src.url, ['snapshot', 'save', file]);
    expect(saved.code, saved.stderr).to.equal(0);
    const revision = Number(/^Saved and verified snapshot to index (\d+)\n$/.exec(saved.stdout)?.[1]);
    expect(revision).to.be.at.least(Number(index));
    expect(fs.readdirSync(dir)).to.deep.equal(['backup.snap']);

    const dataDir = path.join(dir, 'data');
    const dst = await start(['-server', '-bootstrap', `-data-dir=${dataDir}`]);
    await http(`${dst.url}/v1/kv/only/here`, { method: 'PUT', body: 'lost on restore' });
    expect(await praetor(dst.url, ['snapshot', 'restore', file])).to.deep.equal({ code: 0, stdout: 'Restored snapshot\n', stderr: '' });
    expect(await state(dst.url)).to.deep.equal(want);
    expect((await http(`${dst.url}/v1/kv/only/here`)).status).to.equal(404);
    expect((await http(`${dst.url}/v1/snapshot`)).headers.get('x-consul-index')).to.equal(String(revision));

    await dst.stop();
    agents.splice(agents.indexOf(dst), 1);
    const again = await start(['-server', '-bootstrap', `-data-dir=${dataDir}`]);
    expect(await state(again.url)).to.deep.equal(want);
    // Writes go on from the restored revision.
    await http(`${again.url}/v1/kv/after`, { method: 'PUT', body: 'x' });
    const after = (await http(`${again.url}/v1/kv/after`)).json() as Array<{ CreateIndex: number }>;
    expect(after[0]!.CreateIndex).to.equal(revision + 1);
  });

  it('serves the archive with Consul\'s headers, and inspect describes it', async () => {
    const src = await populated();
    const res = await fetch(`${src.url}/v1/snapshot`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/x-gzip');
    const index = Number(res.headers.get('x-consul-index'));
    expect(index).to.be.greaterThan(0);
    const file = path.join(dir, 'raw.snap');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const inspect = await runPraetor(['snapshot', 'inspect', file]);
    expect(inspect.code, inspect.stderr).to.equal(0);
    const lines = inspect.stdout.split('\n');
    expect(lines[0]).to.match(new RegExp(`^ID {11}1-${index}-\\d+$`));
    expect(lines[1]).to.match(/^Size {9}\d+$/);
    expect(lines.slice(2, 6)).to.deep.equal([`Index        ${index}`, 'Term         1', 'Version      2', '']);
    expect(inspect.stdout).to.match(/\nnodes {11}2\n/);
    expect(inspect.stdout).to.match(/\nkv {14}4\n/);
    expect(inspect.stdout).to.match(/\nsessions {8}1\n/);
    expect(inspect.stdout).to.match(/\ntombstones {6}1\n/);
    expect((await http(`${src.url}/v1/snapshot?dc=elsewhere`)).status).to.equal(500);
    expect((await http(`${src.url}/v1/snapshot`, { method: 'POST' })).status).to.equal(405);
  });

  it('refuses a corrupt, truncated or foreign archive with 500 and changes nothing', async () => {
    const a = await populated();
    const good = Buffer.from(await (await fetch(`${a.url}/v1/snapshot`)).arrayBuffer());
    const before = await state(a.url);
    // The archive decompressed, one byte of the state changed, compressed again: only the checksum tells.
    const tar = zlib.gunzipSync(good);
    const at = tar.indexOf('"revision"');
    tar[at + 1] = 'R'.charCodeAt(0);
    const tampered = zlib.gzipSync(tar);
    const bad: Array<[string, Buffer, RegExp]> = [
      ['tampered.snap', tampered, /SHA256 mismatch for state\.jsonl/],
      ['truncated.snap', good.subarray(0, good.length >> 1), /failed to decompress snapshot: unexpected EOF/],
      ['garbage.snap', Buffer.from('not a snapshot at all'), /failed to decompress snapshot: gzip: invalid header/],
      ['foreign.snap', zlib.gzipSync(Buffer.from('hello\n')), /failed to read snapshot file/],
    ];
    for (const [name, data, message] of bad) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, data);
      const res = await praetor(a.url, ['snapshot', 'restore', file]);
      expect(res.code, name).to.equal(1);
      expect(res.stdout).to.equal('');
      expect(res.stderr, name).to.match(/^Error restoring snapshot: Unexpected response code: 500 \(/);
      expect(res.stderr, name).to.match(message);
      const inspect = await runPraetor(['snapshot', 'inspect', file]);
      expect(inspect.code).to.equal(1);
      expect(inspect.stderr, name).to.match(/^Error verifying snapshot: /);
      expect(inspect.stderr, name).to.match(message);
    }
    const empty = await http(`${a.url}/v1/snapshot`, { method: 'PUT', body: '' });
    expect([empty.status, empty.text]).to.deep.equal([500, 'failed to decompress snapshot: EOF']);
    expect(await state(a.url)).to.deep.equal(before);
  });

  it('releases blocking queries when the state is replaced', async () => {
    const a = await populated();
    const snap = Buffer.from(await (await fetch(`${a.url}/v1/snapshot`)).arrayBuffer());
    await http(`${a.url}/v1/kv/late`, { method: 'PUT', body: 'x' });
    const index = Number((await http(`${a.url}/v1/kv/late`)).headers.get('x-consul-index'));
    const blocked = http(`${a.url}/v1/kv/late?index=${index}&wait=5m`);
    // The request is parked on the key's watch before the restore is sent.
    await new Promise((r) => setTimeout(r, 200));
    expect((await http(`${a.url}/v1/snapshot`, { method: 'PUT', body: snap })).status).to.equal(200);
    const res = await blocked;
    expect(res.status).to.equal(404);
    expect(Number(res.headers.get('x-consul-index'))).to.be.lessThan(index);
  });

  it('answers misuse of the commands with Consul\'s message and exit 1', async () => {
    const env = { CONSUL_HTTP_ADDR: '127.0.0.1:1', PRAETOR_HTTP_ADDR: undefined };
    const missing = path.join(dir, 'missing.snap');
    const cases: Array<[string[], string]> = [
      [['snapshot', 'save'], 'Missing FILE argument\n'],
      [['snapshot', 'save', 'a', 'b'], 'Too many arguments (expected 1, got 2)\n'],
      [['snapshot', 'restore'], 'Missing FILE argument\n'],
      [['snapshot', 'restore', missing], `Error opening snapshot file: open ${missing}: no such file or directory\n`],
      [['snapshot', 'inspect'], 'Missing FILE argument\n'],
      [['snapshot', 'inspect', missing], `Error opening snapshot file: open ${missing}: no such file or directory\n`],
      [['snapshot', 'restore', '-bogus', 'x'], "flag provided but not defined: -bogus\nRun 'praetor snapshot restore -h' for usage.\n"],
    ];
    for (const [args, stderr] of cases) expect(await runPraetor(args, { env }), args.join(' ')).to.deep.equal({ code: 1, stdout: '', stderr });
    const unreachable = await runPraetor(['snapshot', 'save', path.join(dir, 'x.snap')], { env });
    expect(unreachable.code).to.equal(1);
    expect(unreachable.stderr).to.match(/^Error saving snapshot: Get "http:\/\/127\.0\.0\.1:1\/v1\/snapshot"/);
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });
});
