import { within } from '@praetor/test-support';
import { expect } from 'chai';
import winston from 'winston';
import { MemoryBackend } from '../backend/memory-backend.js';
import { registerTx } from '../commands/register.js';
import { SoleLeadership } from '../leader/leadership.js';
import { StateStore } from '../state/state-store.js';
import { LocalMemberLeases } from './local-member-leases.js';
import { forceLeaveLeased } from './leased-force-leave.js';
import type { Announcement } from './member.js';
import { MemberHealth } from './member-health.js';

const client = (name: string, over: Partial<Announcement> = {}): Announcement => ({
  Name: name,
  ID: `id-${name}`,
  Datacenter: 'dc1',
  Addr: '127.0.0.5',
  Listen: ['127.0.0.5:8500'],
  Tags: { role: 'node', dc: 'dc1' },
  Meta: { rack: 'r1' },
  Status: 'alive',
  ...over,
});

const TIMEOUT = 150;

/** The in-process leases and the leader duty on a real store, with short timers. */
describe('client member leases (in process) and the MemberHealth duty', () => {
  let store: StateStore;
  let backend: MemoryBackend;
  let leases: LocalMemberLeases;
  let leadership: SoleLeadership;
  const serf = (node: string) => store.catalog.getCheck(node, 'serfHealth')?.Status;
  const status = (name: string) => leases.list().find((m) => m.announcement.Name === name)?.status;

  function start(opts: { reconnectTimeoutMs?: number; leftTtlMs?: number } = {}) {
    leadership = new SoleLeadership();
    leadership.add(
      new MemberHealth(leases, backend, store, winston.createLogger({ silent: true }), {
        timeoutMs: leases.timeoutMs,
        reconnectTimeoutMs: opts.reconnectTimeoutMs ?? 60_000,
        leftTtlMs: opts.leftTtlMs ?? 60_000,
        sweepMs: 20,
      }),
    );
  }

  beforeEach(() => {
    store = new StateStore();
    backend = new MemoryBackend(store);
    leases = new LocalMemberLeases(TIMEOUT);
  });
  afterEach(() => {
    leadership?.close();
    leases.close();
  });

  it('a heartbeat makes a live member whose node is created with serfHealth passing', async () => {
    start();
    await leases.heartbeat(client('c1'));
    expect(leases.list().map((m) => [m.announcement.Name, m.status, m.live])).to.deep.equal([['c1', 'alive', true]]);
    await within(2000, () => serf('c1') === 'passing', 'serfHealth passing');
    const node = store.catalog.nodes.get('c1')!;
    expect([node.Address, node.ID, node.Meta]).to.deep.equal(['127.0.0.5', 'id-c1', { rack: 'r1' }]);
  });

  it('heartbeats keep the lease alive past the timeout; stopping them fails the member and its serfHealth turns critical', async () => {
    leases = new LocalMemberLeases(1000); // heartbeats every 100 ms leave a noisy machine 900 ms of slack
    start();
    for (let i = 0; i < 15; i++) {
      await leases.heartbeat(client('c1'));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status('c1')).to.equal('alive');
    expect(serf('c1')).to.equal('passing');
    await within(2000, () => serf('c1') === 'critical', 'serfHealth critical');
    expect(status('c1')).to.equal('failed');
    expect(store.catalog.getCheck('c1', 'serfHealth')!.Output).to.equal('Agent not live or unreachable');
    await leases.heartbeat(client('c1'));
    await within(2000, () => serf('c1') === 'passing', 'serfHealth passing again');
    expect(status('c1')).to.equal('alive');
  });

  it('keeps a node its agent synced as it is and sets only the check', async () => {
    await backend.submit((tx) => registerTx(tx, { Node: 'c1', ID: '', Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, NodeMeta: {}, Checks: [], SkipNodeUpdate: false }));
    start();
    await leases.heartbeat(client('c1'));
    await within(2000, () => serf('c1') === 'passing', 'serfHealth passing');
    expect(store.catalog.nodes.get('c1')!.Address).to.equal('10.0.0.1');
  });

  it('a left heartbeat ends the lease; the node leaves the catalog and the member is forgotten after leftTtl', async () => {
    start({ leftTtlMs: 300 });
    await leases.heartbeat(client('c1'));
    await within(2000, () => serf('c1') === 'passing', 'serfHealth passing');
    await leases.heartbeat(client('c1', { Status: 'left' }));
    expect(status('c1')).to.equal('left');
    await within(2000, () => !store.catalog.nodes.has('c1'), 'node gone');
    await within(2000, () => status('c1') === undefined, 'member forgotten');
  });

  it('reaps a member failed for longer than reconnect_timeout, with its node', async () => {
    start({ reconnectTimeoutMs: 300 });
    await leases.heartbeat(client('c1'));
    await within(2000, () => status('c1') === 'failed', 'member failed');
    expect(store.catalog.nodes.has('c1')).to.equal(true);
    await within(2000, () => !store.catalog.nodes.has('c1') && status('c1') === undefined, 'member reaped');
  });

  it('gives members without a lease one member_timeout of grace when it starts leading', async () => {
    await leases.heartbeat(client('c1'));
    await within(2000, () => leases.list()[0]?.live === false, 'lease run out');
    start();
    const started = Date.now();
    await within(2000, () => status('c1') === 'failed', 'member failed');
    expect(Date.now() - started).to.be.at.least(TIMEOUT - 20);
  });

  it('force-leave: a failed member becomes left and its node goes; -prune forgets it; a live one is left alone', async () => {
    start();
    await leases.heartbeat(client('c1'));
    await leases.heartbeat(client('c2'));
    await within(2000, () => status('c1') === 'failed' && serf('c1') === 'critical', 'c1 failed');
    expect(await forceLeaveLeased(leases, backend, 'c1', false)).to.equal(true);
    expect(status('c1')).to.equal('left');
    expect(store.catalog.nodes.has('c1')).to.equal(false);
    expect(await forceLeaveLeased(leases, backend, 'c1', true)).to.equal(true);
    expect(status('c1')).to.equal(undefined);
    await leases.heartbeat(client('c2'));
    expect(await forceLeaveLeased(leases, backend, 'c2', false)).to.equal(true);
    expect(status('c2')).to.equal('alive');
    expect(await forceLeaveLeased(leases, backend, 'nobody', false)).to.equal(false);
  });
});
