import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import winston from 'winston';
import { AxiosClient, ConsulInstancer, KvWatcher } from '../../src/index.js';

const log = winston.createLogger({ silent: true });

/**
 * Issue 12, item 8: a server that answers without X-Consul-Index (a proxy that strips it, an old
 * or broken server). Every SDK loop backs off instead of spinning, and says why.
 */
describe('issue 12: a server that answers without X-Consul-Index', function () {
  this.timeout(20000);
  let server: http.Server;
  let url: string;
  const arrivals: Array<{ at: number; path: string }> = [];
  before(async () => {
    server = http.createServer((req, res) => {
      arrivals.push({ at: Date.now(), path: req.url ?? '' });
      res.setHeader('Content-Type', 'application/json');
      if (req.url?.startsWith('/v1/kv/')) res.end(JSON.stringify([{ Key: 'cfg', Value: Buffer.from('v').toString('base64'), Flags: 0, CreateIndex: 1, ModifyIndex: 1, LockIndex: 0 }]));
      else res.end('[]');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server?.close());

  /** Gaps between the requests to `prefix` (ms). */
  const gaps = (prefix: string) => {
    const at = arrivals.filter((a) => a.path.startsWith(prefix)).map((a) => a.at);
    return at.slice(1).map((t, i) => t - at[i]);
  };

  for (const kind of ['KvWatcher', 'ConsulInstancer'] as const) {
    it(`${kind} backs off between reads and its ready() names the missing index`, async () => {
      const client = new AxiosClient({ addresses: [url] });
      const backoff = { initialMs: 100, maxMs: 400, random: () => 1 };
      const prefix = kind === 'KvWatcher' ? '/v1/kv/cfg' : '/v1/health/service/web';
      const watch = kind === 'KvWatcher' ? new KvWatcher(client, log, { key: 'cfg', backoff }) : new ConsulInstancer(client, log, { service: 'web', backoff });
      try {
        const err = await watch.ready({ timeoutMs: 1000 }).then(() => null, (e: Error) => e);
        expect(err?.message).to.match(/index 0 \(no usable X-Consul-Index\)/);
        const seen = gaps(prefix);
        expect(seen.length, 'requests seen').to.be.greaterThan(1);
        // Backoff 100, 200, 400 ms (random pinned to 1): never a busy loop. Timers may fire a
        // little late on a busy machine, never early.
        for (const g of seen) expect(g).to.be.at.least(95);
        expect(arrivals.filter((a) => a.path.startsWith(prefix)).every((a) => !/[?&]index=/.test(a.path)), 'never blocks on an index it was not given').to.equal(true);
      } finally {
        await watch.stop();
      }
    });
  }
});
