import { expect } from 'chai';
import { clientAnnouncement, HeartbeatSender } from './heartbeat-sender.js';
import { http, within } from './harness.js';
import { startPraetorCluster, type PraetorCluster } from './etcd-target.js';

type Member = { Name: string; Status: number; Tags: Record<string, string> };
const members = async (url: string) => (await http(`${url}/v1/agent/members`)).json() as Member[];
const serf = async (url: string, node: string) => {
  const checks = (await http(`${url}/v1/health/node/${node}?stale`)).json() as Array<{ CheckID: string; Status: string }>;
  return checks.find((c) => c.CheckID === 'serfHealth')?.Status;
};

/** Client members heartbeating to 3 Praetor servers on a real etcd cluster: liveness rides on etcd leases. */
describe('client members by heartbeat, etcd store (3 servers)', function () {
  this.timeout(120000);
  let c: PraetorCluster;
  const senders: HeartbeatSender[] = [];
  const urls = () => c.servers.map((s) => s.url);
  beforeEach(async () => {
    c = await startPraetorCluster({ args: ['-dev', '-member-timeout=3s'] });
  });
  afterEach(async () => {
    for (const s of senders.splice(0)) s.stop();
    await c.stop();
  });
  const sender = (name: string) => {
    const s = new HeartbeatSender(urls(), clientAnnouncement(name));
    senders.push(s);
    return s;
  };

  it('a member heartbeating to one server is alive on every server, with its node passing; stopped, it turns critical everywhere; left, its node goes', async () => {
    const m = sender('client-e1');
    await m.start(1);
    expect(m.last!.Servers).to.have.length(3);
    expect(m.last!.IntervalMs).to.equal(1000);
    for (const url of urls()) {
      await within(10000, async () => (await members(url)).find((x) => x.Name === 'client-e1')?.Status === 1);
      await within(10000, async () => (await serf(url, 'client-e1')) === 'passing');
    }
    expect((await members(urls()[2]!)).filter((x) => x.Tags.role === 'consul')).to.have.length(3);
    m.stop();
    for (const url of urls()) {
      await within(20000, async () => (await serf(url, 'client-e1')) === 'critical', 100);
      await within(10000, async () => (await members(url)).find((x) => x.Name === 'client-e1')?.Status === 4);
    }
    const n = sender('client-e2');
    await n.start(2);
    await within(10000, async () => (await serf(urls()[0]!, 'client-e2')) === 'passing');
    await n.leave();
    for (const url of urls()) {
      await within(10000, async () => (await http(`${url}/v1/catalog/node/client-e2?stale`)).text === 'null');
      await within(10000, async () => (await members(url)).find((x) => x.Name === 'client-e2')?.Status === 3);
    }
  });

  it('a member whose heartbeats move between live servers stays passing (the first server does not fail it), and fails once they stop', async () => {
    const m = sender('mover');
    await m.start(0);
    const watch = urls()[2]!;
    await within(10000, async () => (await serf(watch, 'mover')) === 'passing');
    const seen = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        seen.add(`${await serf(watch, 'mover')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    // Server 0 keeps running; the member moves to 1, then back to 0, then to 2, each for two member timeouts.
    for (const to of [1, 0, 2]) {
      m.moveTo(to);
      const until = Date.now() + 6000;
      await within(15000, () => Date.now() > until, 200);
    }
    watching = false;
    await watcher;
    expect([...seen]).to.deep.equal(['passing']);
    expect(m.errors).to.deep.equal([]);
    m.stop();
    for (const url of urls()) await within(20000, async () => (await serf(url, 'mover')) === 'critical', 100);
  });

  it('forty members of one server that stop at once all turn critical (their keys go in batches)', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `rack-${i}`);
    const rack = names.map((n) => sender(n));
    await Promise.all(rack.map((s) => s.start(1)));
    const watch = urls()[0]!;
    const statuses = async () => {
      const all = (await http(`${watch}/v1/health/state/any?stale`)).json() as Array<{ Node: string; CheckID: string; Status: string }>;
      return names.map((n) => all.find((c) => c.Node === n && c.CheckID === 'serfHealth')?.Status);
    };
    await within(20000, async () => (await statuses()).every((s) => s === 'passing'), 200);
    for (const s of rack) s.stop();
    await within(30000, async () => (await statuses()).every((s) => s === 'critical'), 200);
  });

  it('SIGKILL of the Praetor leader: members heartbeating through the others (and one moving off the leader) never turn critical', async () => {
    const leaderAddr = (await (await fetch(`${urls()[0]}/v1/status/leader`)).json()) as string;
    const leader = c.args.findIndex((a) => a.includes(`-server-port=${leaderAddr.split(':')[1]}`));
    expect(leader).to.be.at.least(0);
    const others = [0, 1, 2].filter((i) => i !== leader);
    const names = ['k1', 'k2', 'k3', 'k4'];
    for (const [i, name] of names.entries()) await sender(name).start(i === 0 ? leader : others[i % 2]);
    const watch = urls()[others[0]!]!;
    for (const name of names) await within(10000, async () => (await serf(watch, name)) === 'passing');

    const seen = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const name of names) seen.add(`${name}:${await serf(watch, name)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await c.servers[leader]!.stop('SIGKILL');
    await within(30000, async () => {
      const l = (await (await fetch(`${watch}/v1/status/leader`)).json()) as string;
      return l !== '' && l !== leaderAddr;
    });
    // Two member timeouts under the new leader, past its grace.
    const until = Date.now() + 7000;
    await within(15000, () => Date.now() > until, 200);
    watching = false;
    await watcher;
    expect([...seen].sort()).to.deep.equal(names.map((n) => `${n}:passing`).sort());
    expect(senders[0]!.errors.length).to.be.at.least(1); // k1 did move off the dead leader
  });
});
