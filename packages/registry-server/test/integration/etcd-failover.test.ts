import { AxiosClient, ConsulInstancer } from '@praetor/sdk';
import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import { within } from './harness.js';
import { checkRegisterHistory, type Op } from './history-check.js';
import { startPraetorCluster, type PraetorCluster } from './etcd-target.js';

/** One request's outcome: status 0 when it got no answer (refused, reset, timed out). */
interface Answer {
  status: number;
  text: string;
  index: number;
}

async function call(url: string, method = 'GET', body?: string): Promise<Answer> {
  try {
    const res = await fetch(url, { method, body, signal: AbortSignal.timeout(15_000) });
    return { status: res.status, text: await res.text(), index: Number(res.headers.get('x-consul-index') ?? 0) };
  } catch {
    return { status: 0, text: '', index: 0 };
  }
}

const decode = (text: string) => (JSON.parse(text) as Array<{ Value: string | null; ModifyIndex: number; Session?: string }>)[0]!;
const valueOf = (text: string) => Buffer.from(decode(text).Value ?? '', 'base64').toString();

/**
 * Failover under load: writers spread KV puts, CAS increments, lock acquire/release and service
 * registrations over three Praetor servers on a three-member etcd cluster, recording every
 * request and answer, while the Praetor leader and then an etcd member are SIGKILLed and later
 * restarted. Afterwards every acknowledged write must be on every server with the same index, no
 * CAS may have won twice on one index, no two sessions may have held the lock at once, the
 * blocking watchers on the survivors must have seen every change, and `?consistent` reads of a
 * single key must form a linearizable history.
 */
describe('failover: SIGKILL of the Praetor leader and of an etcd member under load', function () {
  this.timeout(240_000);
  let c: PraetorCluster;

  before(async () => (c = await startPraetorCluster({ ownEtcd: true })));
  after(async () => c?.stop());

  it('loses no acknowledged write, lets no CAS win twice, never gives a lock to two sessions, keeps ?consistent reads linearizable and the SDK Instancer converged', async () => {
    const urls = () => c.servers.map((s) => s.url);
    let stop = false;
    const acked = new Map<string, string>(); // KV key → value, acknowledged
    const casWins = new Map<number, number>(); // index a CAS won on → how many times
    const services = new Set<string>();
    const history: Op[] = [];
    const holds: Array<{ session: string; from: number; to: number }> = [];

    const putter = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const key = `load/w${w}-${n}`;
        const a = await call(`${urls()[n % 3]}/v1/kv/${key}`, 'PUT', `v${n}`);
        if (a.status === 200 && a.text === 'true') acked.set(key, `v${n}`);
        else if (a.status === 0) await new Promise((r) => setTimeout(r, 50));
      }
    };
    const casser = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const u = urls()[(n + w) % 3]!;
        const cur = await call(`${u}/v1/kv/load/counter`);
        const index = cur.status === 200 ? decode(cur.text).ModifyIndex : cur.status === 404 ? 0 : -1;
        if (index < 0) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const a = await call(`${urls()[(n + w + 1) % 3]}/v1/kv/load/counter?cas=${index}`, 'PUT', `w${w}-${n}`);
        if (a.status === 200 && a.text === 'true') casWins.set(index, (casWins.get(index) ?? 0) + 1);
      }
    };
    const locker = async (w: number) => {
      let session = '';
      for (let n = 0; !stop; n++) {
        const u = urls()[(n + w) % 3]!;
        if (!session) {
          const s = await call(`${u}/v1/session/create`, 'PUT', JSON.stringify({ Checks: [], LockDelay: '0s' }));
          if (s.status === 200) session = (JSON.parse(s.text) as { ID: string }).ID;
          else await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const got = await call(`${u}/v1/kv/load/lock?acquire=${session}`, 'PUT', session);
        if (got.status !== 200 || got.text !== 'true') continue;
        // Surely held from the acquire's answer until the release is first sent.
        const from = performance.now();
        await new Promise((r) => setTimeout(r, 20));
        holds.push({ session, from, to: performance.now() });
        for (let tries = 0; tries < 100; tries++) {
          const release = await call(`${urls()[(n + w + tries) % 3]}/v1/kv/load/lock?release=${session}`, 'PUT', '');
          if (release.status === 200) break;
        }
      }
    };
    const attempted = new Set<string>(); // instance keys (address:port) ever sent for registration
    const registrar = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const id = `svc-w${w}-${n}`;
        attempted.add(`10.0.0.1:${1000 + n}`);
        const body = JSON.stringify({ Node: 'load-node', Address: '10.0.0.1', Service: { ID: id, Service: 'load', Port: 1000 + n } });
        const a = await call(`${urls()[n % 3]}/v1/catalog/register`, 'PUT', body);
        if (a.status === 200) services.add(id);
        else if (a.status === 0) await new Promise((r) => setTimeout(r, 50));
      }
    };
    const linear = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const u = urls()[(n + w) % 3]!;
        const start = performance.now();
        if (n % 2 === 0) {
          const value = `w${w}-${n}`;
          const a = await call(`${u}/v1/kv/load/register`, 'PUT', value);
          history.push({ key: 'register', kind: 'write', value, start, end: performance.now(), ok: a.status === 200 && a.text === 'true' });
        } else {
          const a = await call(`${u}/v1/kv/load/register?consistent`);
          const end = performance.now();
          if (a.status === 200) history.push({ key: 'register', kind: 'read', value: valueOf(a.text), start, end, ok: true });
          else if (a.status === 404) history.push({ key: 'register', kind: 'read', value: null, start, end, ok: true });
        }
      }
    };
    // Blocking watchers on the two servers that will survive: each follows the load/ prefix.
    const leaderAddr = (await (await fetch(`${urls()[0]}/v1/status/leader`)).json()) as string;
    const leader = c.args.findIndex((a) => a.some((x) => x === `-server-port=${leaderAddr.split(':')[1]}`));
    expect(leader).to.be.at.least(0);
    const survivors = [0, 1, 2].filter((i) => i !== leader).map((i) => urls()[i]!);
    const watched: Array<{ indexes: number[] }> = survivors.map(() => ({ indexes: [] }));
    const watcher = async (k: number) => {
      let index = 0;
      while (!stop) {
        const a = await call(`${survivors[k]}/v1/kv/load/?recurse&index=${index}&wait=5s`);
        if (a.status !== 200) continue;
        watched[k]!.indexes.push(a.index);
        index = a.index;
      }
    };

    // The SDK's Instancer, given all three servers, follows the `load` service throughout.
    const sdkClient = new AxiosClient({ addresses: urls() });
    const instancer = new ConsulInstancer(sdkClient, undefined, { service: 'load', rateLimit: { perSecond: 50, burst: 10 } });
    const published: string[][] = [];
    instancer.register((e) => {
      if (!e.error) published.push(e.instances.map((i) => i.key));
    });

    const workers = [putter(0), putter(1), casser(0), casser(1), locker(0), locker(1), registrar(0), linear(0), linear(1), watcher(0), watcher(1)];
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await pause(3000);
    await c.servers[leader]!.stop('SIGKILL');
    // A survivor takes over and writes go on through it.
    await within(20_000, async () => {
      const l = (await (await fetch(`${survivors[0]}/v1/status/leader`)).json()) as string;
      return l !== '' && l !== leaderAddr;
    }, 100);
    await pause(3000);
    const killedEtcd = c.etcd.members[1]!;
    await killedEtcd.kill();
    await pause(4000);
    killedEtcd.restart();
    await c.restart(leader);
    await pause(4000);
    stop = true;
    await Promise.all(workers);
    await c.etcd.healthy();

    expect(acked.size, 'KV puts acknowledged').to.be.greaterThan(50);
    expect(casWins.size, 'CAS increments').to.be.greaterThan(5);
    expect(holds.length, 'lock holds').to.be.greaterThan(5);
    expect(services.size, 'registrations').to.be.greaterThan(10);

    // Every acknowledged write is on every server, with one ModifyIndex.
    const lists = await Promise.all(urls().map(async (u) => (await call(`${u}/v1/kv/load/?recurse`)).text));
    const byServer = lists.map((t) => new Map((JSON.parse(t) as Array<{ Key: string; Value: string; ModifyIndex: number }>).map((e) => [e.Key, e])));
    for (const [key, value] of acked) {
      const seen = byServer.map((m) => m.get(key));
      expect(seen.every((e) => e && Buffer.from(e.Value, 'base64').toString() === value), `${key} on every server`).to.equal(true);
      expect(new Set(seen.map((e) => e!.ModifyIndex)).size, `${key}: one ModifyIndex`).to.equal(1);
    }
    const instances = await Promise.all(urls().map(async (u) => JSON.parse((await call(`${u}/v1/catalog/service/load`)).text) as Array<{ ServiceID: string; ModifyIndex: number }>));
    for (const list of instances) expect(list.map((s) => s.ServiceID)).to.include.members([...services]);
    expect(new Set(instances.map((l) => JSON.stringify(l.map((s) => [s.ServiceID, s.ModifyIndex])))).size, 'one catalog on every server').to.equal(1);
    // The restarted server rebuilt its state from a listing, the others followed the watch:
    // their index tables agree all the same.
    for (const path of ['/v1/catalog/services', '/v1/catalog/nodes', '/v1/health/service/load', '/v1/kv/load/?recurse', '/v1/catalog/node/load-node', '/v1/session/list']) {
      const indexes = await Promise.all(urls().map(async (u) => (await call(`${u}${path}`)).index));
      expect(new Set(indexes).size, `X-Consul-Index of ${path} on every server: ${indexes.join(', ')}`).to.equal(1);
    }

    // No CAS won twice on the same index.
    expect([...casWins.values()].filter((n) => n > 1)).to.deep.equal([]);

    // No two sessions held the lock at once.
    const sorted = holds.sort((a, b) => a.from - b.from);
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1]!, sorted[i]!];
      if (a.session !== b.session) expect(b.from >= a.to, `${a.session} and ${b.session} held the lock at once`).to.equal(true);
    }

    // The watchers on the survivors only moved forward, and from where each stopped, a blocking
    // query answers with the final state (at once if it missed a change, else after its wait).
    const finalIndex = (await call(`${survivors[0]}/v1/kv/load/?recurse`)).index;
    for (const [k, w] of watched.entries()) {
      expect(w.indexes.length).to.be.greaterThan(3);
      for (let i = 1; i < w.indexes.length; i++) expect(w.indexes[i]).to.be.at.least(w.indexes[i - 1]!);
      const resumed = await call(`${survivors[k]}/v1/kv/load/?recurse&index=${w.indexes[w.indexes.length - 1]}&wait=2s`);
      expect(resumed.index).to.equal(finalIndex);
    }

    // The Instancer converged on the catalog's instances, and never published one that no
    // registration named.
    const expected = instances[0]!.map((i) => `10.0.0.1:${(i as unknown as { ServicePort: number }).ServicePort}`).sort();
    await within(30_000, () => JSON.stringify([...(published[published.length - 1] ?? [])].sort()) === JSON.stringify(expected), 100);
    await instancer.stop();
    for (const set of published) for (const key of set) expect(attempted.has(key), `published ${key}`).to.equal(true);
    expect(published.length).to.be.greaterThan(3);

    // ?consistent reads of one key: linearizable.
    expect(history.filter((o) => o.kind === 'read').length).to.be.greaterThan(20);
    expect(checkRegisterHistory(history)).to.deep.equal([]);
  });
});
