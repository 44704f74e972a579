import { expect } from 'chai';
import Consul from 'consul';
import { newKey } from './membership-peer.js';
import { http, runPraetor, within, type AgentProcess } from './harness.js';
import { startClient } from './client-agent.js';
import { datacenters, startTwoDatacenters, type TwoDatacenters } from './two-datacenters.js';

const cli = (agent: AgentProcess, ...args: string[]) => runPraetor(args, { env: { PRAETOR_HTTP_ADDR: `${agent.host}:${agent.port}`, CONSUL_HTTP_ADDR: '' } });

interface WanMember {
  Name: string;
  Addr: string;
  Port: number;
  Status: number;
  Tags: Record<string, string>;
}
const wanMembers = async (a: AgentProcess) => (await http(`${a.url}/v1/agent/members?wan=1`)).json() as WanMember[];
const indexOf = (h: Headers) => Number(h.get('x-consul-index'));

describe('several datacenters: dc1 and dc2, one server each (real agents)', function () {
  this.timeout(60000);

  describe('joined with -retry-join-wan from dc1 to dc2', () => {
    let dcs: TwoDatacenters;
    before(async () => {
      dcs = await startTwoDatacenters();
    });
    after(async () => dcs?.stop());

    it('lists both datacenters on both servers, its own first, in the API and the CLI', async () => {
      expect(await datacenters(dcs.dc1)).to.deep.equal(['dc1', 'dc2']);
      expect(await datacenters(dcs.dc2)).to.deep.equal(['dc2', 'dc1']);
      // ?dc does not forward the list: it is the asked server's.
      expect((await http(`${dcs.dc1.url}/v1/catalog/datacenters?dc=dc2`)).json()).to.deep.equal(['dc1', 'dc2']);
      expect(await cli(dcs.dc1, 'catalog', 'datacenters')).to.deep.include({ code: 0, stdout: 'dc1\ndc2\n' });
    });

    it('lists the WAN pool on both servers (NODE.DC, HTTP address, server port in Tags, alive), in the API and the CLI', async () => {
      const view = (m: WanMember) => [m.Name, m.Addr, m.Port, m.Status, m.Tags.dc, m.Tags.role];
      const s1 = ['s1.dc1', '127.0.0.1', dcs.dc1.port, 1, 'dc1', 'consul'];
      const s2 = ['s2.dc2', '127.0.0.1', dcs.dc2.port, 1, 'dc2', 'consul'];
      expect((await wanMembers(dcs.dc1)).map(view)).to.deep.equal([s1, s2]);
      expect((await wanMembers(dcs.dc2)).map(view)).to.deep.equal([s2, s1]);
      const table = await cli(dcs.dc2, 'members', '-wan');
      expect(table.code).to.equal(0);
      // Sorted by name, as Consul's CLI does.
      expect(table.stdout.split('\n').slice(1, 3).map((l) => l.split(/\s+/).slice(0, 4))).to.deep.equal([
        ['s1.dc1', `127.0.0.1:${dcs.dc1.port}`, 'alive', 'server'],
        ['s2.dc2', `127.0.0.1:${dcs.dc2.port}`, 'alive', 'server'],
      ]);
    });

    it('forwards a KV write with ?dc=dc2 to dc2, which keeps it; dc1 does not have it', async () => {
      expect((await http(`${dcs.dc1.url}/v1/kv/wan/a?dc=dc2`, { method: 'PUT', body: 'in dc2' })).text).to.equal('true');
      expect((await http(`${dcs.dc2.url}/v1/kv/wan/a?raw`)).text).to.equal('in dc2');
      expect((await http(`${dcs.dc1.url}/v1/kv/wan/a`)).status).to.equal(404);
      // The answer is dc2's, with its headers.
      const direct = await http(`${dcs.dc2.url}/v1/kv/wan/a`);
      const forwarded = await http(`${dcs.dc1.url}/v1/kv/wan/a?dc=dc2`);
      expect(forwarded.json()).to.deep.equal(direct.json());
      expect(indexOf(forwarded.headers)).to.equal(indexOf(direct.headers));
      expect(forwarded.headers.get('x-consul-knownleader')).to.equal('true');
      expect(forwarded.headers.get('x-consul-lastcontact')).to.equal('0');
    });

    it('the CLI -datacenter dc2 goes through dc1 to dc2', async () => {
      expect((await cli(dcs.dc1, 'kv', 'put', '-datacenter=dc2', 'wan/cli', 'v2')).code).to.equal(0);
      expect((await http(`${dcs.dc2.url}/v1/kv/wan/cli?raw`)).text).to.equal('v2');
      expect(await cli(dcs.dc1, 'kv', 'get', '-datacenter=dc2', 'wan/cli')).to.deep.include({ code: 0, stdout: 'v2\n' });
      expect((await cli(dcs.dc1, 'kv', 'get', 'wan/cli')).code).to.equal(1);
    });

    it('a blocking health query with ?dc=dc2 sent to dc1 returns when a service is registered in dc2', async () => {
      const first = await http(`${dcs.dc1.url}/v1/health/service/api?dc=dc2`);
      expect(first.json()).to.deep.equal([]);
      let answered = false;
      const blocked = http(`${dcs.dc1.url}/v1/health/service/api?dc=dc2&index=${indexOf(first.headers)}&wait=60s`).then((r) => ((answered = true), r));
      // Another request through dc1 meanwhile: the blocking one is still waiting (nothing changed in dc2).
      expect((await http(`${dcs.dc1.url}/v1/catalog/nodes?dc=dc2`)).status).to.equal(200);
      expect(answered).to.equal(false);
      await http(`${dcs.dc2.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'api', ID: 'api-1', Port: 9000 }) });
      const res = await blocked;
      expect((res.json() as Array<{ Service: { ID: string }; Node: { Datacenter: string } }>).map((e) => [e.Service.ID, e.Node.Datacenter])).to.deep.equal([['api-1', 'dc2']]);
      expect(indexOf(res.headers)).to.equal(indexOf((await http(`${dcs.dc2.url}/v1/health/service/api`)).headers));
      expect((await http(`${dcs.dc1.url}/v1/health/service/api`)).json()).to.deep.equal([]);
    });

    it('the consul npm client with dc: "dc2", blocking included', async () => {
      const consul = new Consul({ host: dcs.dc1.host, port: dcs.dc1.port });
      try {
        expect(await consul.catalog.datacenters()).to.deep.equal(['dc1', 'dc2']);
        await consul.kv.set({ key: 'wan/npm', value: 'x', dc: 'dc2' });
        expect(((await consul.kv.get({ key: 'wan/npm', dc: 'dc2' })) as { Value: string }).Value).to.equal('x');
        expect(await consul.kv.get({ key: 'wan/npm' })).to.equal(undefined);
        const index = indexOf((await http(`${dcs.dc2.url}/v1/health/service/npm-svc`)).headers);
        // index and wait are common options of the client (lib/utils.js), absent from its typings.
        const service = consul.health.service.bind(consul.health) as unknown as (o: Record<string, string>) => Promise<Array<{ Service: { ID: string } }>>;
        const blocked = service({ service: 'npm-svc', dc: 'dc2', index: String(index), wait: '60s' });
        await http(`${dcs.dc2.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'npm-svc', ID: 'npm-1', Port: 9001 }) });
        expect((await blocked).map((e) => e.Service.ID)).to.deep.equal(['npm-1']);
      } finally {
        consul.destroy();
      }
    });

    it('an unknown datacenter answers 500 "No path to datacenter" on every forwarded endpoint; agent endpoints answer for this agent', async () => {
      for (const [method, path] of [
        ['GET', '/v1/kv/x?dc=dc9'],
        ['PUT', '/v1/kv/x?dc=dc9'],
        ['GET', '/v1/catalog/nodes?dc=dc9'],
        ['GET', '/v1/health/service/api?dc=dc9'],
        ['GET', '/v1/session/list?dc=dc9'],
        ['PUT', '/v1/txn?dc=dc9'],
        ['GET', '/v1/status/leader?dc=dc9'],
      ]) {
        const res = await http(`${dcs.dc1.url}${path}`, { method, body: method === 'PUT' ? '[]' : undefined });
        expect([path, res.status, res.text]).to.deep.equal([path, 500, 'No path to datacenter']);
      }
      const self = (await http(`${dcs.dc1.url}/v1/agent/self?dc=dc2`)).json() as { Config: { Datacenter: string } };
      expect(self.Config.Datacenter).to.equal('dc1');
      // status/leader is forwarded: dc2's leader is dc2's server.
      expect((await http(`${dcs.dc1.url}/v1/status/leader?dc=dc2`)).json()).to.equal((await http(`${dcs.dc2.url}/v1/status/leader`)).json());
    });
  });

  it('when dc2 stops, ?dc=dc2 fails with a 500 naming dc2, the list keeps dc2 last (as Consul), dc1 answers its own requests', async () => {
    const dcs = await startTwoDatacenters();
    try {
      await dcs.dc2.stop('SIGKILL');
      const fails = await http(`${dcs.dc1.url}/v1/kv/x?dc=dc2`);
      expect(fails.status).to.equal(500);
      expect(fails.text).to.match(/datacenter dc2/);
      await within(30000, async () => (await wanMembers(dcs.dc1)).find((m) => m.Name === 's2.dc2')?.Status === 4, 200);
      const later = await http(`${dcs.dc1.url}/v1/kv/x?dc=dc2`);
      expect([later.status, later.text]).to.deep.equal([500, 'No path to datacenter dc2: none of its servers answers (see the log of this server)']);
      expect(dcs.dc1.output()).to.match(/no server of datacenter dc2 answers: requests with \?dc=dc2 fail until one does/);
      expect(await datacenters(dcs.dc1)).to.deep.equal(['dc1', 'dc2']);
      expect((await http(`${dcs.dc1.url}/v1/kv/own`, { method: 'PUT', body: 'v' })).text).to.equal('true');
      expect((await http(`${dcs.dc1.url}/v1/kv/own?raw&dc=dc1`)).text).to.equal('v');
    } finally {
      await dcs.stop();
    }
  });

  it('a client agent of dc1 reaches dc2 through its server (?dc=dc2, blocking included); with dc2 gone it fails clearly, dc1 unaffected', async () => {
    const dcs = await startTwoDatacenters();
    const client = await startClient('dc1-client', [dcs.dc1.url]);
    try {
      expect((await http(`${client.url}/v1/catalog/datacenters`)).json()).to.deep.equal(['dc1', 'dc2']);
      expect((await http(`${client.url}/v1/kv/from-client?dc=dc2`, { method: 'PUT', body: 'via dc1' })).text).to.equal('true');
      expect((await http(`${dcs.dc2.url}/v1/kv/from-client?raw`)).text).to.equal('via dc1');
      const first = await http(`${client.url}/v1/health/service/cache?dc=dc2`);
      const blocked = http(`${client.url}/v1/health/service/cache?dc=dc2&index=${indexOf(first.headers)}&wait=30s`);
      await new Promise((r) => setTimeout(r, 300));
      await http(`${dcs.dc2.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'cache', Port: 6379 }) });
      const answer = await blocked;
      expect(indexOf(answer.headers)).to.be.above(indexOf(first.headers));
      expect((answer.json() as Array<{ Node: { Node: string; Datacenter: string } }>).map((e) => e.Node.Datacenter)).to.deep.equal(['dc2']);
      await dcs.dc2.stop('SIGKILL');
      const fails = await http(`${client.url}/v1/kv/x?dc=dc2`);
      expect(fails.status).to.equal(500);
      expect(fails.text).to.match(/datacenter dc2/);
      expect((await http(`${client.url}/v1/kv/own`, { method: 'PUT', body: 'v' })).text).to.equal('true');
      expect((await http(`${client.url}/v1/kv/own?raw`)).text).to.equal('v');
    } finally {
      await client.stop('SIGKILL');
      client.cleanup();
      await dcs.stop();
    }
  });

  it('with the same encrypt key on both, they join; with different keys the exchange is refused and logged', async () => {
    const key = newKey();
    const same = await startTwoDatacenters({ dc1Args: [`-encrypt=${key}`], dc2Args: [`-encrypt=${key}`] });
    try {
      expect((await http(`${same.dc1.url}/v1/kv/k?dc=dc2`, { method: 'PUT', body: 'signed' })).text).to.equal('true');
      expect((await http(`${same.dc2.url}/v1/kv/k?raw`)).text).to.equal('signed');
    } finally {
      await same.stop();
    }
    const other = await startTwoDatacenters({ dc1Args: [`-encrypt=${key}`], dc2Args: [`-encrypt=${newKey()}`], joined: false });
    try {
      await within(20000, () => /refused a membership message from 127\.0\.0\.1: the membership message signature does not match/.test(other.dc2.output()), 100);
      await within(20000, () => /cannot join the WAN pool through (http:\/\/)?127\.0\.0\.1:\d+ \(retrying\): .*refused: Permission denied/.test(other.dc1.output()), 100);
      expect(await datacenters(other.dc1)).to.deep.equal(['dc1']);
      expect(await datacenters(other.dc2)).to.deep.equal(['dc2']);
      expect((await http(`${other.dc1.url}/v1/kv/k?dc=dc2`)).text).to.equal('No path to datacenter');
    } finally {
      await other.stop();
    }
  });
});
