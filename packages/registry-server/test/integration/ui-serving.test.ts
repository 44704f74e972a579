import { expect } from 'chai';
import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { http, startAgent, type AgentProcess } from './harness.js';

/** GET with exactly the given headers (fetch would add and undo its own Accept-Encoding). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/** The agent serves the built UI at /ui/ (issue 11): redirects, the single page on every path, content types, caching. */
describe('web UI files', function () {
  this.timeout(30000);

  describe('with the UI on (-dev)', () => {
    let agent: AgentProcess;
    before(async () => {
      agent = await startAgent(['-dev']);
    });
    after(() => agent.stop());

    it('/ and /ui redirect to /ui/, as Consul does', async () => {
      for (const path of ['/', '/ui']) {
        const res = await http(`${agent.url}${path}`);
        expect(res.status, path).to.equal(301);
        expect(res.headers.get('location'), path).to.equal('/ui/');
      }
    });

    it('every page URL answers the same HTML page, revalidated by ETag', async () => {
      const first = await rawGet(`${agent.url}/ui/`);
      expect(first.status).to.equal(200);
      expect(first.headers['content-type']).to.equal('text/html; charset=utf-8');
      expect(first.headers['cache-control']).to.equal('no-cache');
      expect(first.body.toString()).to.match(/<div id="app">/);
      for (const path of ['/ui/dc1/services', '/ui/dc1/services/web/instances', '/ui/dc1/nodes/n1', '/ui/dc1/kv/a/b/', '/ui/dc1/kv/a/b/edit']) {
        const res = await rawGet(`${agent.url}${path}`);
        expect(res.status, path).to.equal(200);
        expect(res.body.equals(first.body), path).to.equal(true);
      }
      const again = await rawGet(`${agent.url}/ui/dc1/nodes`, { 'If-None-Match': String(first.headers.etag) });
      expect(again.status).to.equal(304);
      expect(again.body.length).to.equal(0);
    });

    it('the scripts and styles the page names are served with their types, cached for good, gzipped when asked', async () => {
      const html = (await rawGet(`${agent.url}/ui/`)).body.toString();
      const assets = [...html.matchAll(/(?:src|href)="(\/ui\/assets\/[^"]+)"/g)].map((m) => m[1]);
      expect(assets).to.have.length(2);
      for (const asset of assets) {
        const plain = await rawGet(`${agent.url}${asset}`);
        expect(plain.status, asset).to.equal(200);
        expect(plain.headers['content-type'], asset).to.equal(asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
        expect(plain.headers['cache-control'], asset).to.equal('public, max-age=31536000, immutable');
        expect(plain.headers['content-encoding'], asset).to.equal(undefined);
        const zipped = await rawGet(`${agent.url}${asset}`, { 'Accept-Encoding': 'gzip, deflate' });
        expect(zipped.headers['content-encoding'], asset).to.equal('gzip');
        expect(zipped.headers.vary, asset).to.equal('Accept-Encoding');
        expect(zipped.headers.etag, asset).to.not.equal(plain.headers.etag);
        expect(gunzipSync(zipped.body).equals(plain.body), asset).to.equal(true);
      }
    });

    it('an asset that does not exist is a 404, not the page', async () => {
      const res = await http(`${agent.url}/ui/assets/main-NOPE.js`);
      expect(res.status).to.equal(404);
      expect(res.text).to.match(/No such UI file/);
    });

    it('the API is unchanged beside it', async () => {
      const res = await http(`${agent.url}/v1/status/leader`);
      expect(res.status).to.equal(200);
      expect((await http(`${agent.url}/v1/nope`)).status).to.equal(404);
    });
  });

  describe('with the UI off (-ui=false)', () => {
    let agent: AgentProcess;
    before(async () => {
      agent = await startAgent(['-dev', '-ui=false']);
    });
    after(() => agent.stop());

    it('/ says what answers, as Consul does, and /ui/ is not found', async () => {
      const root = await http(`${agent.url}/`);
      expect(root.status).to.equal(200);
      // Consul's words: HTTP health checks pointed at an agent's root look for them.
      expect(root.text).to.equal('Consul Agent');
      for (const path of ['/ui', '/ui/', '/ui/dc1/services']) {
        const res = await http(`${agent.url}${path}`);
        expect(res.status, path).to.equal(404);
        expect(res.text, path).to.match(/web UI is off/);
      }
    });
  });
});
