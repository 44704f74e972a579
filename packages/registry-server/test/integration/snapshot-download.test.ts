import { expect } from 'chai';
import crypto from 'node:crypto';
import fs from 'node:fs';
import nodeHttp from 'node:http';
import path from 'node:path';
import { http, runPraetor, startAgent, tempDir, type AgentProcess } from './harness.js';

/** Writes `count` keys of `size` random bytes through /v1/txn, 64 to a transaction. */
export async function fillKv(url: string, count: number, size: number, prefix = 'bulk/'): Promise<void> {
  for (let i = 0; i < count; ) {
    const ops = [];
    for (let j = 0; j < 64 && i < count; j++, i++) ops.push({ KV: { Verb: 'set', Key: `${prefix}${i}`, Value: crypto.randomBytes(size).toString('base64') } });
    const res = await http(`${url}/v1/txn`, { method: 'PUT', body: JSON.stringify(ops) });
    if (res.status !== 200) throw new Error(`txn failed: ${res.status} ${res.text}`);
  }
}

/** GET /v1/snapshot streams: the agent keeps serving while an archive is on its way, and the archive is the state at the request. */
describe('snapshot download', function () {
  this.timeout(120_000);
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

  it('serves reads and writes while a download is held mid-stream, and the archive holds none of those writes', async () => {
    agent = await startAgent(['-dev', '-log-level=warn']);
    const url = agent.url;
    // About 27 MB of state, mostly incompressible: far more than the socket buffers hold.
    await fillKv(url, 20_000, 1024);
    const chunks: Buffer[] = [];
    let index = '';
    const held = new Promise<nodeHttp.IncomingMessage>((resolve, reject) => {
      nodeHttp
        .get(`${url}/v1/snapshot`, (res) => {
          index = String(res.headers['x-consul-index']);
          res.once('data', (c: Buffer) => {
            chunks.push(c);
            res.pause();
            resolve(res);
          });
        })
        .on('error', reject);
    });
    const res = await held;
    // The client reads nothing more: the agent is mid-archive. Everything else is still answered.
    expect((await http(`${url}/v1/kv/during`, { method: 'PUT', body: 'x' })).status).to.equal(200);
    expect((await http(`${url}/v1/kv/bulk/0`)).status).to.equal(200);
    expect((await http(`${url}/v1/kv/during?raw`)).text).to.equal('x');
    const rest = new Promise<void>((resolve, reject) => {
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', resolve);
      res.once('error', reject);
    });
    res.resume();
    await rest;
    const file = path.join(dir, 'held.snap');
    fs.writeFileSync(file, Buffer.concat(chunks));
    const inspect = await runPraetor(['snapshot', 'inspect', file], 60_000);
    expect(inspect.code, inspect.stderr).to.equal(0);
    expect(inspect.stdout).to.include(`Index        ${index}\n`);
    expect(inspect.stdout).to.match(/\nkv +20000\n/);
  });
});
