import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { http, runPraetor, tempDir, within } from './harness.js';
import { foreignSnapshot, startPraetorCluster, type PraetorCluster } from './etcd-target.js';

const put = (url: string, body: unknown) => http(url, { method: 'PUT', body: typeof body === 'string' ? body : JSON.stringify(body) });
const valueOf = (text: string) => Buffer.from((JSON.parse(text) as Array<{ Value: string }>)[0]!.Value, 'base64').toString();
const json = async <T>(url: string): Promise<T> => (await http(url)).json() as T;

describe('three Praetor servers on one etcd cluster', function () {
  this.timeout(120_000);
  let c: PraetorCluster;
  const url = (i: number) => c.servers[i]!.url;

  before(async () => {
    const dir = tempDir('praetor-etcd-cfg-');
    // Short session TTLs, so TTL expiry is seen within the test.
    fs.writeFileSync(path.join(dir, 'ttl.json'), JSON.stringify({ session_ttl_min: '1s' }));
    // A file-defined service on every server, which a restore must not lose for good.
    fs.writeFileSync(path.join(dir, 'service.json'), JSON.stringify({ service: { name: 'filed', port: 9100 } }));
    c = await startPraetorCluster({ args: [`-config-file=${path.join(dir, 'ttl.json')}`, `-config-file=${path.join(dir, 'service.json')}`] });
  });
  after(async () => c?.stop());

  it('answers a write made through one server from every server, with the same index, and no earlier', async () => {
    expect((await put(`${url(0)}/v1/kv/cross/a`, 'one')).text).to.equal('true');
    // Read-your-writes on the other servers at once: no waiting, no retry.
    const answers = await Promise.all([1, 2, 0].map((i) => http(`${url(i)}/v1/kv/cross/a`)));
    const entries = answers.map((a) => (a.json() as Array<{ Value: string; ModifyIndex: number }>)[0]!);
    expect(entries.map((e) => Buffer.from(e.Value, 'base64').toString())).to.deep.equal(['one', 'one', 'one']);
    expect(new Set(entries.map((e) => e.ModifyIndex)).size).to.equal(1);
    expect(new Set(answers.map((a) => a.headers.get('x-consul-index'))).size).to.equal(1);
    expect(answers[0]!.headers.get('x-consul-knownleader')).to.equal('true');
  });

  it('agrees on one leader and lists every server as a peer and a member', async () => {
    const leaders = await Promise.all([0, 1, 2].map((i) => json<string>(`${url(i)}/v1/status/leader`)));
    expect(new Set(leaders).size).to.equal(1);
    const peers = await json<string[]>(`${url(1)}/v1/status/peers`);
    expect(peers).to.have.length(3);
    expect(peers).to.include(leaders[0]);
    const out = await runPraetor(['members', `-http-addr=${url(2)}`]);
    expect(out.code).to.equal(0);
    for (const s of c.args) expect(out.stdout).to.include(s[1]!.slice('-node='.length));
    const nodes = await json<Array<{ Node: string }>>(`${url(0)}/v1/catalog/nodes`);
    expect(nodes.map((n) => n.Node)).to.include.members(c.args.map((a) => a[1]!.slice('-node='.length)));
    // As raft peers: three voters, the one at the leader's address leading.
    const raft = await json<{ Servers: Array<{ Node: string; Address: string; Leader: boolean; Voter: boolean }> }>(`${url(1)}/v1/operator/raft/configuration`);
    expect(raft.Servers.map((s) => s.Address).sort()).to.deep.equal([...peers].sort());
    expect(raft.Servers.filter((s) => s.Leader).map((s) => s.Address)).to.deep.equal([leaders[0]]);
    expect(raft.Servers.every((s) => s.Voter)).to.equal(true);
  });

  it('lets one CAS win when three servers race on the same index', async () => {
    await put(`${url(0)}/v1/kv/cross/cas`, 'start');
    const index = (await json<Array<{ ModifyIndex: number }>>(`${url(1)}/v1/kv/cross/cas`))[0]!.ModifyIndex;
    const results = await Promise.all([0, 1, 2].map((i) => put(`${url(i)}/v1/kv/cross/cas?cas=${index}`, `by-${i}`)));
    expect(results.map((r) => r.text).filter((t) => t === 'true')).to.have.length(1);
  });

  it('gives a lock to one session only, whichever servers the sessions and acquires go through', async () => {
    const s1 = ((await put(`${url(0)}/v1/session/create`, { Checks: [] })).json() as { ID: string }).ID;
    const s2 = ((await put(`${url(1)}/v1/session/create`, { Checks: [] })).json() as { ID: string }).ID;
    const both = await Promise.all([put(`${url(2)}/v1/kv/cross/lock?acquire=${s1}`, 'a'), put(`${url(1)}/v1/kv/cross/lock?acquire=${s2}`, 'b')]);
    expect(both.map((r) => r.text).sort()).to.deep.equal(['false', 'true']);
    const holder = both[0]!.text === 'true' ? s1 : s2;
    const entry = (await json<Array<{ Session: string }>>(`${url(0)}/v1/kv/cross/lock`))[0]!;
    expect(entry.Session).to.equal(holder);
  });

  it('keeps a session alive while it is renewed through other servers, and ends it (releasing its lock) once renewals stop', async () => {
    const id = ((await put(`${url(0)}/v1/session/create`, { TTL: '1s', Checks: [] })).json() as { ID: string }).ID;
    expect((await put(`${url(0)}/v1/kv/cross/ttl-lock?acquire=${id}`, 'x')).text).to.equal('true');
    // Renewed every 400 ms through servers 1 and 2 for 4 s: twice the TTL × 2 etcd lets it live.
    for (let n = 0; n < 10; n++) {
      const renew = await put(`${url(1 + (n % 2))}/v1/session/renew/${id}`, '');
      expect(renew.status, renew.text).to.equal(200);
      await new Promise((r) => setTimeout(r, 400));
    }
    expect((await http(`${url(0)}/v1/session/info/${id}`)).json()).to.have.length(1);
    await within(15_000, async () => (await json<unknown[]>(`${url(2)}/v1/session/info/${id}`)).length === 0, 200);
    const entry = (await json<Array<{ Session?: string }>>(`${url(1)}/v1/kv/cross/ttl-lock`))[0]!;
    expect(entry.Session).to.equal(undefined);
  });

  it('saves a snapshot through one server and restores it through another', async () => {
    await put(`${url(0)}/v1/kv/snap/kept`, 'before');
    const saved = await fetch(`${url(1)}/v1/snapshot`);
    expect(saved.status).to.equal(200);
    const archive = Buffer.from(await saved.arrayBuffer());
    await put(`${url(0)}/v1/kv/snap/kept`, 'after');
    await put(`${url(0)}/v1/kv/snap/added`, 'later');
    const restored = await http(`${url(2)}/v1/snapshot`, { method: 'PUT', body: archive });
    expect(restored.status, restored.text).to.equal(200);
    for (const i of [0, 1, 2]) {
      const kept = await json<Array<{ Value: string }>>(`${url(i)}/v1/kv/snap/kept`);
      expect(Buffer.from(kept[0]!.Value, 'base64').toString()).to.equal('before');
      expect((await http(`${url(i)}/v1/kv/snap/added`)).status).to.equal(404);
    }
  });

  it("puts back every server's own node, serfHealth, server service and file-defined services after a restore of a snapshot that lacks them", async () => {
    // A snapshot of another agent's state: none of the three servers is in it.
    const archive = await foreignSnapshot(async (other) => {
      expect((await put(`${other}/v1/kv/foreign`, 'theirs')).text).to.equal('true');
    });
    const restored = await http(`${url(2)}/v1/snapshot`, { method: 'PUT', body: archive });
    expect(restored.status, restored.text).to.equal(200);
    expect(valueOf((await http(`${url(0)}/v1/kv/foreign`)).text)).to.equal('theirs');
    const names = c.args.map((a) => a[1]!.slice('-node='.length));
    // Servers 1 and 2 learn of the restore from etcd and re-register themselves (server 3 did in its reply).
    await within(20_000, async () => {
      const nodes = await json<Array<{ Node: string }>>(`${url(0)}/v1/catalog/nodes`);
      return names.every((n) => nodes.some((x) => x.Node === n));
    });
    for (const name of names) {
      const services = await json<{ Services: Record<string, { Service: string }> }>(`${url(1)}/v1/catalog/node/${name}`);
      expect(Object.values(services.Services).map((s) => s.Service).sort(), name).to.deep.equal(['consul', 'filed']);
      const checks = await json<Array<{ CheckID: string; Status: string }>>(`${url(1)}/v1/health/node/${name}`);
      expect(checks.map((ch) => [ch.CheckID, ch.Status]), name).to.deep.equal([['serfHealth', 'passing']]);
    }
  });
});

describe('reads on a server whose copy of the state lags behind etcd', function () {
  this.timeout(120_000);
  let c: PraetorCluster;

  // Server 2 applies what etcd sends 2 s late (fault injection): its copy lags.
  before(async () => (c = await startPraetorCluster({ count: 2, env: (i) => (i === 1 ? { PRAETOR_TEST_MIRROR_DELAY_MS: '2000' } : {}) })));
  after(async () => c?.stop());

  it('waits for the copy to catch up on default and ?consistent reads (read-your-writes across servers), while ?stale answers from the copy at once', async () => {
    const [fast, slow] = [c.servers[0]!.url, c.servers[1]!.url];
    expect((await put(`${fast}/v1/kv/lag/a`, 'written')).text).to.equal('true');
    const stale = await http(`${slow}/v1/kv/lag/a?stale`);
    expect(stale.status, 'the lagging copy does not have the write yet').to.equal(404);
    const fresh = await http(`${slow}/v1/kv/lag/a`);
    expect(fresh.status).to.equal(200);
    expect(valueOf(fresh.text)).to.equal('written');
    expect((await put(`${fast}/v1/kv/lag/a`, 'again')).text).to.equal('true');
    expect(valueOf((await http(`${slow}/v1/kv/lag/a?consistent`)).text)).to.equal('again');
  });

  it('judges a write on a current copy: a session created through one server locks a key through the lagging one at once', async () => {
    const [fast, slow] = [c.servers[0]!.url, c.servers[1]!.url];
    const id = ((await put(`${fast}/v1/session/create`, { Checks: [] })).json() as { ID: string }).ID;
    const acquire = await put(`${slow}/v1/kv/lag/lock?acquire=${id}`, 'mine');
    expect(acquire.status, acquire.text).to.equal(200);
    expect(acquire.text).to.equal('true');
  });
});

describe('Praetor servers when etcd goes away and comes back', function () {
  this.timeout(180_000);
  let c: PraetorCluster;

  before(async () => (c = await startPraetorCluster({ ownEtcd: true })));
  after(async () => c?.stop());

  it('fails writes and default reads within a bounded time, keeps answering ?stale, and resyncs on its own after the whole etcd cluster restarts', async () => {
    const url = c.servers[1]!.url;
    await put(`${url}/v1/kv/outage/before`, 'kept');
    await Promise.all(c.etcd.members.map((m) => m.kill()));
    const write = await http(`${url}/v1/kv/outage/during`, { method: 'PUT', body: 'x' });
    expect(write.status).to.equal(500);
    expect(write.text).to.match(/etcd/);
    const stale = await http(`${url}/v1/kv/outage/before?stale`);
    expect(stale.status).to.equal(200);
    expect(Buffer.from((stale.json() as Array<{ Value: string }>)[0]!.Value, 'base64').toString()).to.equal('kept');
    const fresh = await http(`${url}/v1/kv/outage/before`);
    expect(fresh.status).to.equal(500);
    expect(fresh.text).to.match(/\?stale/);
    await within(30_000, async () => (await http(`${url}/v1/kv/outage/before?stale`)).headers.get('x-consul-knownleader') === 'false', 500);

    for (const m of c.etcd.members) m.restart();
    await c.etcd.healthy(60_000);
    // Each server reconnects and takes writes again, and every server sees them.
    await within(60_000, async () => (await http(`${c.servers[0]!.url}/v1/kv/outage/after`, { method: 'PUT', body: 'y' })).text === 'true', 500);
    for (const s of c.servers) {
      await within(30_000, async () => (await http(`${s.url}/v1/kv/outage/after`)).status === 200, 200);
      expect((await http(`${s.url}/v1/kv/outage/during`)).status).to.equal(404);
    }
    await within(30_000, async () => (await http(`${url}/v1/status/leader`)).json() !== '', 500);
  });
});
