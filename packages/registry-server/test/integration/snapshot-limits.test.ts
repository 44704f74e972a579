import { expect } from 'chai';
import fs from 'node:fs';
import nodeHttp from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { http, startAgent, tempDir, type AgentProcess } from './harness.js';

/** One ustar header block for a regular file (what any tar writes). */
function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write('0000600\0', 100, 'ascii');
  h.write('0000000\0', 108, 'ascii');
  h.write('0000000\0', 116, 'ascii');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  h.write('00000000000\0', 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\u000000', 257, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/**
 * About 1 MB of gzip that inflates to a tar whose state file announces `size` bytes of newlines:
 * gzip members one after the other (gunzip reads them as one stream), each 1 MiB of newlines.
 */
function gzipBomb(size: number): Buffer {
  const mib = zlib.gzipSync(Buffer.alloc(1024 * 1024, 10), { level: 9 });
  const parts = [zlib.gzipSync(tarHeader('state.jsonl', size))];
  for (let left = size; left > 0; left -= 1024 * 1024) parts.push(left >= 1024 * 1024 ? mib : zlib.gzipSync(Buffer.alloc(left, 10)));
  parts.push(zlib.gzipSync(Buffer.alloc(1024)));
  return Buffer.concat(parts);
}

/** The agent process's peak resident memory (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** PUT /v1/snapshot with a chunked body (no Content-Length), as a client streaming a file sends it. */
function putChunked(url: string, chunks: Buffer[]): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = nodeHttp.request(`${url}/v1/snapshot`, { method: 'PUT' }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

/** PUT /v1/snapshot under hostile input: memory and disk stay bounded, other requests keep being answered. */
describe('snapshot restore limits', function () {
  this.timeout(180_000);
  let dir: string;
  let agent: AgentProcess | null = null;

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await agent?.stop();
    agent = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = async (config?: unknown) => {
    const dataDir = path.join(dir, 'data');
    const args = ['-server', '-bootstrap', `-data-dir=${dataDir}`, '-node=limits', '-log-level=warn'];
    if (config) {
      fs.writeFileSync(path.join(dir, 'limits.json'), JSON.stringify(config));
      args.push(`-config-file=${path.join(dir, 'limits.json')}`);
    }
    agent = await startAgent(args);
    return { a: agent, dataDir };
  };

  it('refuses a 1 MB gzip that inflates to 1 GiB without taking the agent to gigabytes, answering other requests meanwhile', async () => {
    const { a, dataDir } = await start();
    expect((await http(`${a.url}/v1/kv/x`, { method: 'PUT', body: 'kept' })).status).to.equal(200);
    const bomb = gzipBomb(1024 ** 3);
    expect(bomb.length).to.be.below(2 * 1024 * 1024);
    const before = peakRss(a.proc.pid!);

    let restored: { status: number; text: string } | null = null;
    const restoring = http(`${a.url}/v1/snapshot`, { method: 'PUT', body: bomb }).then((r) => (restored = r));
    const reads: number[] = [];
    for (let i = 0; i < 100_000 && !restored; i++) {
      const res = await http(`${a.url}/v1/kv/x?raw`);
      reads.push(res.status);
      expect(res.text).to.equal('kept');
    }
    await restoring;
    const res = restored! as { status: number; text: string };
    expect(res.status).to.equal(500);
    expect(res.text).to.equal('failed to decompress snapshot: the decompressed snapshot is larger than 1073741824 bytes (limits.snapshot_max_size)');
    expect(reads.length).to.be.greaterThan(0);
    expect(reads.every((s) => s === 200)).to.equal(true);
    expect(peakRss(a.proc.pid!) - before).to.be.below(300 * 1024 * 1024);
    // The spooled state is gone, the old state stays.
    expect(fs.readdirSync(dataDir).filter((n) => n.includes('snapshot-upload'))).to.deep.equal([]);
    expect((await http(`${a.url}/v1/kv/x?raw`)).text).to.equal('kept');
  });

  it('answers a body over limits.snapshot_max_size with 413 as soon as it passes, with or without Content-Length', async () => {
    const { a, dataDir } = await start({ limits: { snapshot_max_size: 65536 } });
    const big = Buffer.alloc(100_000, 1);
    const declared = await http(`${a.url}/v1/snapshot`, { method: 'PUT', body: big });
    expect([declared.status, declared.text]).to.deep.equal([413, 'Request body(100000 bytes) too large, max size: 65536 bytes.']);
    // 5,000 empty gzip members: valid, inflating to nothing, so only the compressed size can
    // refuse it, whichever chunk the agent has read when the second arrives.
    const gz = Buffer.concat(Array.from({ length: 5000 }, () => zlib.gzipSync(Buffer.alloc(0))));
    const chunked = await putChunked(a.url, [gz.subarray(0, 40_000), gz.subarray(40_000)]);
    expect(chunked.status, chunked.text).to.equal(413);
    expect(chunked.text).to.match(/^Request body\(\d+ bytes\) too large, max size: 65536 bytes\.$/);
    // A small archive that inflates past the cap: the config key bounds the inflated size too.
    const small = gzipBomb(1024 * 1024);
    const inflated = await http(`${a.url}/v1/snapshot`, { method: 'PUT', body: small });
    expect([inflated.status, inflated.text]).to.deep.equal([500, 'failed to decompress snapshot: the decompressed snapshot is larger than 65536 bytes (limits.snapshot_max_size)']);
    expect(fs.readdirSync(dataDir).filter((n) => n.includes('snapshot-upload'))).to.deep.equal([]);
    expect((await http(`${a.url}/v1/agent/self`)).status).to.equal(200);
  });
});
