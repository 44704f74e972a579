import { expect } from 'chai';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { CheckDefinition } from '../../structs/check.js';
import { USER_AGENT, createHttpRunner } from './check-http.js';
import { Runners, TEST_CERT, TEST_KEY, closedPort, recorder, silentLogger, within } from './test-support.js';

describe('check-http', () => {
  const runners = new Runners();
  let server: http.Server;
  let base: string;
  let queue: number[] = [];
  let hits = 0;

  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      switch (path) {
        case '/ok':
          res.end('all good');
          return;
        case '/busy':
          res.writeHead(429).end('slow down');
          return;
        case '/fail':
          res.writeHead(500).end('broken');
          return;
        case '/slow':
          return; // never answers; closeAllConnections() ends it
        case '/echo':
          res.end(JSON.stringify({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString() }));
          return;
        case '/big':
          res.end('y'.repeat(100_000));
          return;
        case '/moved':
          res.writeHead(301, { location: '/ok' }).end();
          return;
        case '/loop':
          res.writeHead(302, { location: '/loop' }).end();
          return;
        case '/queue':
          hits++;
          res.writeHead(queue.shift() ?? 200).end(`hit ${hits}`);
          return;
        default:
          res.writeHead(404).end();
      }
    });
  };

  before(async () => {
    server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => runners.stopAll());
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function firstResult(def: CheckDefinition) {
    const rec = recorder();
    runners.add(createHttpRunner({ Interval: '500ms', ...def }, rec.report, silentLogger())).start();
    await within(10_000, () => rec.results.length > 0, 'a report');
    runners.stopAll();
    return { status: rec.results[0].status, output: rec.results[0].output };
  }

  it('2xx is passing, with Consul-style output', async () => {
    expect(await firstResult({ HTTP: `${base}/ok` })).to.deep.equal({
      status: 'passing',
      output: `HTTP GET ${base}/ok: 200 OK Output: all good`,
    });
  });

  it('429 is warning', async () => {
    expect(await firstResult({ HTTP: `${base}/busy` })).to.deep.equal({
      status: 'warning',
      output: `HTTP GET ${base}/busy: 429 Too Many Requests Output: slow down`,
    });
  });

  it('500 is critical', async () => {
    expect(await firstResult({ HTTP: `${base}/fail` })).to.deep.equal({
      status: 'critical',
      output: `HTTP GET ${base}/fail: 500 Internal Server Error Output: broken`,
    });
  });

  it('a server slower than the timeout is critical', async () => {
    const r = await firstResult({ HTTP: `${base}/slow`, Interval: '300ms', Timeout: '100ms' });
    expect(r).to.deep.equal({ status: 'critical', output: `HTTP GET ${base}/slow: timed out after 100ms` });
  });

  it('a refused connection is critical with the error', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const r = await firstResult({ HTTP: url });
    expect(r.status).to.equal('critical');
    expect(r.output).to.match(new RegExp(`^HTTP GET ${url}: .*ECONNREFUSED`));
  });

  it('sends Method, Header and Body, with Consul default headers', async () => {
    const r = await firstResult({ HTTP: `${base}/echo`, Method: 'post', Header: { 'X-Token': ['abc'] }, Body: '{"ping":1}' });
    const echoed = JSON.parse(r.output.slice(r.output.indexOf('Output: ') + 8));
    expect(echoed.method).to.equal('POST');
    expect(echoed.body).to.equal('{"ping":1}');
    expect(echoed.headers).to.include({ 'x-token': 'abc', 'user-agent': USER_AGENT, accept: 'text/plain, text/*, */*' });
    expect(r.output.startsWith(`HTTP POST ${base}/echo: 200 OK`)).to.equal(true);
  });

  it('reads the body only up to OutputMaxSize', async () => {
    const r = await firstResult({ HTTP: `${base}/big`, OutputMaxSize: 200 });
    expect(r.status).to.equal('passing');
    expect(Buffer.byteLength(r.output)).to.equal(200);
    expect(r.output).to.match(/^HTTP GET .*\/big: 200 OK Output: y+$/);
  });

  it('follows redirects, up to 10', async () => {
    expect(await firstResult({ HTTP: `${base}/moved` })).to.deep.equal({
      status: 'passing',
      output: `HTTP GET ${base}/moved: 200 OK Output: all good`,
    });
    expect(await firstResult({ HTTP: `${base}/loop`, Interval: '5s' })).to.deep.equal({
      status: 'critical',
      output: `HTTP GET ${base}/loop: stopped after 10 redirects`,
    });
  });

  it('applies the thresholds to real responses', async () => {
    queue = [200, 500, 500, 500, 200, 200];
    hits = 0;
    const rec = recorder();
    const def: CheckDefinition = { HTTP: `${base}/queue`, Interval: '400ms', SuccessBeforePassing: 2, FailuresBeforeWarning: 1, FailuresBeforeCritical: 3 };
    runners.add(createHttpRunner(def, rec.report, silentLogger())).start();
    await within(10_000, () => rec.results.length >= 5, 'five reports');
    runners.stopAll();
    // hit 5 (first 200 after the failures) is held back by SuccessBeforePassing.
    expect(rec.results.slice(0, 5).map((r) => [r.status, r.output.slice(-6)])).to.deep.equal([
      ['passing', ' hit 1'],
      ['warning', ' hit 2'],
      ['warning', ' hit 3'],
      ['critical', ' hit 4'],
      ['passing', ' hit 6'],
    ]);
  });

  describe('https', () => {
    let tls: https.Server;
    let url: string;
    before(async () => {
      tls = https.createServer({ key: TEST_KEY, cert: TEST_CERT }, handler);
      await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
      url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/ok`;
    });
    after(async () => {
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
    });

    it('TLSSkipVerify accepts a self-signed certificate', async () => {
      expect(await firstResult({ HTTP: url, TLSSkipVerify: true })).to.deep.equal({
        status: 'passing',
        output: `HTTP GET ${url}: 200 OK Output: all good`,
      });
    });

    it('verifies the certificate by default', async () => {
      const r = await firstResult({ HTTP: url });
      expect(r.status).to.equal('critical');
      expect(r.output).to.match(/certificate/i);
    });
  });
});
