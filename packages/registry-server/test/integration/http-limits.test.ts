import { expect } from 'chai';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { http, startAgent, tempDir, within, type AgentProcess } from './harness.js';

const MB = 1024 * 1024;

/** What a raw client saw: the bytes the server answered, and whether the server closed on it. */
interface Seen {
  answer: string;
  closed: boolean;
}

function connect(agent: AgentProcess): { sock: net.Socket; seen: Seen; gone: Promise<void> } {
  const sock = net.connect(agent.port, agent.host);
  const seen: Seen = { answer: '', closed: false };
  sock.on('data', (d) => (seen.answer += d.toString('latin1')));
  sock.on('error', () => undefined);
  const gone = new Promise<void>((resolve) => sock.once('close', () => resolve((seen.closed = true) && undefined)));
  return { sock, seen, gone };
}

/**
 * Sends `total` body bytes in 64 KiB chunks, waiting for each to be taken by the kernel, until
 * the server closes the connection: like most clients, it does not read the answer before it
 * has sent its body. Resolves with the bytes the kernel took.
 */
async function pushBody(sock: net.Socket, seen: Seen, total: number, chunked: boolean): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let sent = 0;
  while (sent < total && !seen.closed && !sock.destroyed) {
    const piece = chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk;
    const ok = await new Promise<boolean>((resolve) => sock.write(piece, (err) => resolve(!err)));
    if (!ok) break;
    sent += chunk.length;
  }
  return sent;
}

/** Issue 8, smaller items: slow clients are cut off, oversized bodies refused before they are read, dropped clients harmless. */
describe('HTTP limits with real sockets', function () {
  this.timeout(60000);
  let agent: AgentProcess;
  let dir: string;
  const sockets: net.Socket[] = [];

  before(async () => {
    dir = tempDir();
    const file = path.join(dir, 'limits.json');
    fs.writeFileSync(file, JSON.stringify({ limits: { http_request_timeout: '1s', http_headers_timeout: '1s' } }));
    agent = await startAgent(['-dev', `-config-file=${file}`, '-http-port=0', '-log-level=warn']);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy();
  });
  after(async () => {
    await agent?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = () => {
    const c = connect(agent);
    sockets.push(c.sock);
    return c;
  };

  it('disconnects a client that dribbles its body, and stores nothing of it', async () => {
    const { sock, seen, gone } = open();
    sock.write('PUT /v1/kv/dribbled HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n');
    let sent = 0;
    const drip = setInterval(() => {
      if (!sock.destroyed && sent < 1000) sock.write('a', () => undefined), sent++;
    }, 100);
    try {
      await within(20000, () => seen.closed);
    } finally {
      clearInterval(drip);
    }
    await gone;
    expect(sent, 'the client was still sending when it was cut off').to.be.below(1000);
    if (seen.answer) expect(seen.answer).to.match(/^HTTP\/1\.1 408/);
    expect((await http(`${agent.url}/v1/kv/dribbled`)).status).to.equal(404);
  });

  it('disconnects a client that dribbles its headers', async () => {
    const { sock, seen } = open();
    sock.write('GET /v1/status/leader HTTP/1.1\r\nHost: x\r\n');
    let n = 0;
    const drip = setInterval(() => {
      if (!sock.destroyed) sock.write(`X-Slow-${n++}: 1\r\n`, () => undefined);
    }, 100);
    try {
      await within(20000, () => seen.closed);
    } finally {
      clearInterval(drip);
    }
    expect(seen.answer).not.to.match(/^HTTP\/1\.1 200/);
  });

  it('answers a blocking query that waits longer than the request timeout', async () => {
    const first = await http(`${agent.url}/v1/kv/blocking?index=0`);
    const index = first.headers.get('x-consul-index');
    const res = await http(`${agent.url}/v1/kv/blocking?index=${index}&wait=3s`);
    expect(res.status).to.equal(404);
    expect(res.headers.get('x-consul-index')).to.equal(index);
  });

  it('refuses a 50 MB body announced by Content-Length before the client has sent most of it', async () => {
    const { sock, seen } = open();
    const total = 50 * MB;
    sock.write(`PUT /v1/kv/huge HTTP/1.1\r\nHost: x\r\nContent-Length: ${total}\r\n\r\n`);
    const sent = await pushBody(sock, seen, total, false);
    // The server closes the connection rather than read the rest of the body.
    await within(20000, () => seen.closed);
    expect(sent, `bytes the server took before refusing`).to.be.below(total / 2);
    // The 413 may be lost to the reset that cuts off the rest of the body; when it arrives it is Consul's.
    if (seen.answer) {
      expect(seen.answer).to.match(/^HTTP\/1\.1 413/);
      expect(seen.answer).to.contain(`Request body(${total} bytes) too large, max size: 524288 bytes.`);
    }
    expect((await http(`${agent.url}/v1/kv/huge`)).status).to.equal(404);
  });

  it('answers a body a little over the limit with the 413 at once, then reads the rest and keeps the connection', async () => {
    const { sock, seen } = open();
    const total = 512 * 1024 + 100_000;
    sock.write(`PUT /v1/kv/over HTTP/1.1\r\nHost: x\r\nContent-Length: ${total}\r\n\r\n`);
    // The answer comes before a byte of the body was sent...
    await within(10000, () => seen.answer.includes('max size: 524288 bytes.'));
    expect(seen.answer).to.match(/^HTTP\/1\.1 413/);
    // ...and a client that sends its body anyway, as most do, is not reset: the rest is read and
    // discarded, and the same connection answers the next request.
    await new Promise((resolve) => sock.write(Buffer.alloc(total, 0x61), resolve));
    sock.write('GET /v1/kv/over HTTP/1.1\r\nHost: x\r\n\r\n');
    await within(10000, () => /HTTP\/1\.1 404/.test(seen.answer) || seen.closed);
    expect(seen.closed, seen.answer).to.equal(false);
    expect(seen.answer).to.match(/HTTP\/1\.1 404/);
  });

  it('cuts a chunked body as soon as it passes the limit', async () => {
    const { sock, seen } = open();
    const total = 50 * MB;
    sock.write('PUT /v1/txn HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
    const sent = await pushBody(sock, seen, total, true);
    await within(20000, () => seen.closed);
    expect(sent).to.be.below(total / 2);
    if (seen.answer) expect(seen.answer).to.match(/^HTTP\/1\.1 413[^]*too large, max size: 524288 bytes/);
    expect((await http(`${agent.url}/v1/status/leader`)).status).to.equal(200);
  });

  it('keeps serving when clients drop off in the middle of big answers', async () => {
    // About 3 MB of JSON per answer: far more than the socket buffers hold.
    const value = 'v'.repeat(256 * 1024);
    for (let i = 0; i < 8; i++) expect((await http(`${agent.url}/v1/kv/big/${i}`, { method: 'PUT', body: value })).status).to.equal(200);
    const drops: Array<Promise<void>> = [];
    for (let i = 0; i < 24; i++) {
      const { sock, seen, gone } = open();
      const after = [0, 1, 4096, 200_000][i % 4];
      sock.on('data', () => {
        if (seen.answer.length >= after) sock.resetAndDestroy();
      });
      sock.write(`GET /v1/kv/big/?recurse${i % 2 ? '&pretty' : ''} HTTP/1.1\r\nHost: x\r\n\r\n`);
      if (after === 0) sock.resetAndDestroy();
      drops.push(gone);
    }
    await Promise.all(drops);
    const res = await http(`${agent.url}/v1/kv/big/?keys`);
    expect(res.status).to.equal(200);
    expect(res.json()).to.have.length(8);
    expect(agent.proc.exitCode).to.equal(null);
    expect(agent.output()).not.to.match(/\[ERROR\]/);
  });
});
