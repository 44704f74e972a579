import { expect } from 'chai';
import winston from 'winston';
import { SoleCluster } from '../backend/cluster.js';
import type { Leadership } from '../leader/leadership.js';
import { datacenterServers, parseWanMessage } from './wan-message.js';
import { WanPool } from './wan-pool.js';

const log = winston.createLogger({ silent: true });
const cluster = new SoleCluster({ name: 's1', addr: '10.0.0.1:8300', http: '0.0.0.0:8500' }, {} as Leadership);
const server = (name: string, port: number) => ({ Name: name, Addr: `127.0.0.1:${port + 1}`, HTTP: `127.0.0.1:${port}` });

describe('WAN pool (what it learns, without probing)', () => {
  it('learns the sender\'s datacenter and the others it names; lists its own first, then by name before any RTT', () => {
    const pool = new WanPool('dc1', cluster, [], log);
    const answer = pool.heard({ Datacenters: [{ Datacenter: 'dc3', Servers: [server('c1', 1000)] }, { Datacenter: 'dc2', Servers: [server('b1', 2000), server('b2', 3000)] }] });
    expect(pool.datacenters()).to.deep.equal(['dc1', 'dc2', 'dc3']);
    // A server listening on every interface is named by its bind address; the others' live servers follow.
    expect(answer.Datacenters.map((d) => [d.Datacenter, d.Servers.map((s) => s.HTTP)])).to.deep.equal([
      ['dc1', ['10.0.0.1:8500']],
      ['dc3', ['127.0.0.1:1000']],
      ['dc2', ['127.0.0.1:2000', '127.0.0.1:3000']],
    ]);
    expect(pool.forwardTargets('dc2')?.sort()).to.deep.equal(['http://127.0.0.1:2000', 'http://127.0.0.1:3000']);
    expect(pool.forwardTargets('dc9')).to.equal(undefined);
    expect(pool.servers().map((d) => [d.datacenter, d.servers.map((s) => `${s.name}:${s.status}`)])).to.deep.equal([
      ['dc1', ['s1:alive']],
      ['dc2', ['b1:alive', 'b2:alive']],
      ['dc3', ['c1:alive']],
    ]);
  });

  it('takes the sender\'s own list as authoritative (servers it no longer names are dropped), the others\' only as additions', () => {
    const pool = new WanPool('dc1', cluster, [], log);
    pool.heard({ Datacenters: [{ Datacenter: 'dc2', Servers: [server('b1', 2000), server('b2', 3000)] }] });
    pool.heard({ Datacenters: [{ Datacenter: 'dc3', Servers: [server('c1', 1000)] }, { Datacenter: 'dc2', Servers: [server('b3', 4000)] }] });
    expect(pool.forwardTargets('dc2')?.length).to.equal(3);
    pool.heard({ Datacenters: [{ Datacenter: 'dc2', Servers: [server('b2', 3000)] }] });
    expect(pool.forwardTargets('dc2')).to.deep.equal(['http://127.0.0.1:3000']);
  });

  it('refuses malformed messages with what is wrong', () => {
    const cases: Array<[unknown, string]> = [
      [{ Datacenters: [] }, 'the WAN message names no datacenter'],
      [{ Datacenters: [{ Datacenter: 'dc 2', Servers: [server('a', 1)] }] }, 'invalid datacenter name "dc 2"'],
      [{ Datacenters: [{ Datacenter: 'dc2', Servers: [] }] }, "the sender's datacenter dc2 has no servers"],
      [{ Datacenters: [{ Datacenter: 'dc2', Servers: [{ Name: 'a', Addr: '', HTTP: 'nohost' }] }] }, 'server a: HTTP "nohost" is not host:port'],
      [{ Datacenters: [{ Datacenter: 'dc2', Servers: [server('a', 1)] }, { Datacenter: 'dc2', Servers: [] }] }, 'datacenter dc2 is named twice'],
    ];
    for (const [m, want] of cases) expect(() => parseWanMessage(m), want).to.throw(want);
    expect(datacenterServers('dc1', [{ name: 's', addr: '[::1]:8300', http: '[::]:8500' }]).Servers[0]!.HTTP).to.equal('[::1]:8500');
  });
});
