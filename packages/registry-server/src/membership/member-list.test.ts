import { expect } from 'chai';
import winston from 'winston';
import { MemoryBackend } from '../backend/memory-backend.js';
import { BadRequestError, MemberLimitError, PermissionDeniedError, UnknownMemberError } from '../errors.js';
import { StateStore } from '../state/state-store.js';
import type { Announcement } from './member.js';
import { MemberList } from './member-list.js';

const self = { name: 'me', id: 'id-me', datacenter: 'dc1', nodeAddr: '127.0.0.1', meta: {}, tags: { role: 'consul' } };
const peer = (over: Partial<Announcement> = {}): Announcement => ({
  Name: 'peer',
  ID: 'id-peer',
  Datacenter: 'dc1',
  Addr: '127.0.0.2',
  Listen: ['127.0.0.2:8500'],
  Tags: { role: 'consul' },
  Meta: { rack: 'r1' },
  Status: 'alive',
  ...over,
});

/** In process, on a real store; no probes are started (start() is not called). */
describe('MemberList (in process)', () => {
  let store: StateStore;
  let list: MemberList;
  beforeEach(() => {
    store = new StateStore();
    list = new MemberList(self, new MemoryBackend(store), winston.createLogger({ silent: true }));
  });
  afterEach(() => list.stop());

  const serf = (node: string) => store.catalog.getCheck(node, 'serfHealth');

  it('adds an announcing agent, answers with its own announcement, and registers its node with serfHealth passing', async () => {
    const answer = await list.heard(peer(), '127.0.0.2');
    expect(answer).to.deep.include({ Name: 'me', ID: 'id-me', Datacenter: 'dc1', Status: 'alive' });
    expect(list.list().map((m) => [m.name, m.status, m.url])).to.deep.equal([
      ['me', 'alive', 'http://127.0.0.1:0'],
      ['peer', 'alive', 'http://127.0.0.2:8500'],
    ]);
    expect(store.catalog.nodes.get('peer')).to.deep.include({ ID: 'id-peer', Address: '127.0.0.2', Meta: { rack: 'r1' } });
    expect([serf('peer')?.Status, serf('peer')?.Output]).to.deep.equal(['passing', 'Agent alive and reachable']);
    expect(list.stats()).to.deep.equal({ members: 2, failed: 0, left: 0 });
  });

  it('a repeated announcement that changes nothing writes nothing', async () => {
    await list.heard(peer(), '127.0.0.2');
    const revision = store.revision;
    await list.heard(peer(), '127.0.0.2');
    expect(store.revision).to.equal(revision);
  });

  it('a leaving agent becomes left and its node leaves the catalog; announcing again brings it back', async () => {
    await list.heard(peer(), '127.0.0.2');
    await list.heard(peer({ Status: 'left' }), '127.0.0.2');
    expect(list.list()[1]!.status).to.equal('left');
    expect(store.catalog.nodes.get('peer')).to.equal(undefined);
    expect(list.stats()).to.deep.equal({ members: 2, failed: 0, left: 1 });
    await list.heard(peer(), '127.0.0.2');
    expect(list.list()[1]!.status).to.equal('alive');
    expect(serf('peer')?.Status).to.equal('passing');
  });

  it('refuses another datacenter and a second agent with its name, and ignores itself', async () => {
    await list.heard(peer({ Name: 'me', ID: 'id-me' }), '127.0.0.1');
    expect(list.list()).to.have.length(1);
    for (const bad of [peer({ Datacenter: 'dc2' }), peer({ Name: 'me', ID: 'other' })]) {
      let err: unknown;
      await list.heard(bad, '127.0.0.2').catch((e: unknown) => (err = e));
      expect(err).to.be.instanceOf(BadRequestError);
    }
    expect(list.list()).to.have.length(1);
  });

  it('force-leave: unknown is an error, alive and self are left alone, left + prune forgets', async () => {
    let err: unknown;
    await list.forceLeave('ghost', false).catch((e: unknown) => (err = e));
    expect(err).to.be.instanceOf(UnknownMemberError);
    expect((err as Error).message).to.equal("agent: No node found with name 'ghost'");
    await list.heard(peer(), '127.0.0.2');
    await list.forceLeave('peer', false);
    await list.forceLeave('me', true);
    expect(list.list().map((m) => m.status)).to.deep.equal(['alive', 'alive']);
    await list.heard(peer({ Status: 'left' }), '127.0.0.2');
    await list.forceLeave('peer', true);
    expect(list.list().map((m) => m.name)).to.deep.equal(['me']);
  });
  const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

  it('an announcement changes only its sender: a live member is not moved, re-identified or made to leave from elsewhere', async () => {
    await list.heard(peer(), '127.0.0.2');
    const revision = store.revision;
    expect(await refusal(list.heard(peer({ Listen: ['127.0.0.3:8500'], Addr: '127.0.0.3' }), '127.0.0.3'))).to.be.instanceOf(PermissionDeniedError);
    expect(await refusal(list.heard(peer({ ID: 'id-impostor' }), '127.0.0.2'))).to.be.instanceOf(PermissionDeniedError);
    expect(await refusal(list.heard(peer({ Status: 'left', Listen: ['127.0.0.3:8500'] }), '127.0.0.3'))).to.be.instanceOf(PermissionDeniedError);
    expect(await refusal(list.heard(peer({ Name: 'copy', ID: 'id-copy' }), '127.0.0.2'))).to.be.instanceOf(PermissionDeniedError);
    expect(store.revision).to.equal(revision);
    expect(list.list().map((m) => [m.name, m.status, m.url])).to.deep.equal([
      ['me', 'alive', 'http://127.0.0.1:0'],
      ['peer', 'alive', 'http://127.0.0.2:8500'],
    ]);
  });

  it('refuses a new member past the bound, and still refreshes known ones', async () => {
    const small = new MemberList(self, new MemoryBackend(store), winston.createLogger({ silent: true }), { maxMembers: 2 });
    await small.heard(peer({ Name: 'p1', Listen: ['127.0.0.2:1'] }), '127.0.0.2');
    await small.heard(peer({ Name: 'p2', Listen: ['127.0.0.2:2'] }), '127.0.0.2');
    const err = await refusal(small.heard(peer({ Name: 'p3', Listen: ['127.0.0.2:3'] }), '127.0.0.2'));
    expect(err).to.be.instanceOf(MemberLimitError);
    expect((err as MemberLimitError).statusCode).to.equal(503);
    await small.heard(peer({ Name: 'p1', Listen: ['127.0.0.2:1'], Meta: { rack: 'r2' } }), '127.0.0.2');
    expect(small.list().map((m) => m.name)).to.deep.equal(['me', 'p1', 'p2']);
    small.stop();
  });
});

describe('MemberList.join on a server, pointed at a client agent', () => {
  it('succeeds without adding it as a probed peer: the client attaches itself by heartbeat', async () => {
    const http = await import('node:http');
    let requests = 0;
    // A stand-in for a client agent's announce endpoint (client agents are built elsewhere).
    const clientAgent = http.createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(peer({ Name: 'client-a', Tags: { role: 'node' } })));
      });
    });
    await new Promise<void>((r) => clientAgent.listen(0, '127.0.0.1', r));
    const store = new StateStore();
    const list = new MemberList(self, new MemoryBackend(store), winston.createLogger({ silent: true }));
    try {
      const { port } = clientAgent.address() as import('node:net').AddressInfo;
      await list.join(`127.0.0.1:${port}`);
      expect(requests).to.equal(1);
      expect(list.list().map((m) => m.name)).to.deep.equal(['me']);
      expect(store.catalog.nodes.has('client-a')).to.equal(false);
    } finally {
      list.stop();
      await new Promise((r) => clientAgent.close(r));
    }
  });
});
