import { expect } from 'chai';
import { Etcd3 } from 'etcd3';
import { http, within } from './harness.js';
import { startPraetorCluster, type PraetorCluster } from './etcd-target.js';

/**
 * A server that falls so far behind that etcd compacted the revisions it was following: etcd
 * cancels its watch, and the server lists the whole state again (list-then-watch), with the
 * same indexes as a server that followed every change.
 */
describe('a server whose watch falls behind an etcd compaction', function () {
  this.timeout(180_000);
  let c: PraetorCluster;

  before(async () => (c = await startPraetorCluster({ count: 2 })));
  after(async () => {
    const s = c?.servers[1];
    if (s && s.proc.exitCode === null) s.proc.kill('SIGCONT');
    await c?.stop();
  });

  it('lists the state again and answers it with the same indexes as the others', async () => {
    const [live, paused] = [c.servers[0]!, c.servers[1]!];
    expect((await http(`${live.url}/v1/kv/resync/before`, { method: 'PUT', body: 'x' })).text).to.equal('true');
    await within(10_000, async () => (await http(`${paused.url}/v1/kv/resync/before?stale`)).status === 200, 50);
    // Frozen, it reads nothing: etcd's buffers for its watch fill up while writes go on.
    paused.proc.kill('SIGSTOP');
    const value = 'v'.repeat(2000);
    for (let i = 0; i < 1500; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => http(`${live.url}/v1/kv/resync/k${i + j}`, { method: 'PUT', body: value })));
    }
    await http(`${live.url}/v1/kv/resync/before`, { method: 'DELETE' });
    const etcd = new Etcd3({ hosts: c.etcd.endpoints.split(',') });
    try {
      const { header } = await etcd.kv.range({ key: Buffer.from('/') });
      await etcd.kv.compact({ revision: header.revision, physical: true });
    } finally {
      etcd.close();
    }
    paused.proc.kill('SIGCONT');
    await within(60_000, () => /listing the state again/.test(paused.output()), 200);
    const paths = ['/v1/kv/resync/?recurse', '/v1/kv/resync/before', '/v1/catalog/nodes', '/v1/kv/resync/k1499'];
    await within(30_000, async () => (await http(`${paused.url}/v1/kv/resync/k1499?stale`)).status === 200, 200);
    for (const p of paths) {
      const [a, b] = await Promise.all([http(`${live.url}${p}`), http(`${paused.url}${p}?stale`.replace('??', '?').replace('?recurse?stale', '?recurse&stale'))]);
      expect(b.status, p).to.equal(a.status);
      expect(b.headers.get('x-consul-index'), p).to.equal(a.headers.get('x-consul-index'));
      expect(b.text, p).to.equal(a.text);
    }
  });
});
