import { expect } from 'chai';
import type { HealthCheck } from '../structs/check.js';
import type { Node } from '../structs/node.js';
import type { Service } from '../structs/service.js';
import { canonical, catalogDiff, type RemoteNode } from './catalog-diff.js';
import { scaledInterval } from './anti-entropy.js';

const node: Node = { ID: 'id', Node: 'n1', Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: { a: '1' }, CreateIndex: 1, ModifyIndex: 1 };
const web: Service = { Node: 'n1', ID: 'web', Service: 'web', Tags: ['x'], Address: '', Meta: {}, Port: 80, Weights: { Passing: 1, Warning: 1 }, EnableTagOverride: false, CreateIndex: 2, ModifyIndex: 2 };
const check = (id: string, serviceID: string, status: HealthCheck['Status'] = 'passing'): HealthCheck => ({
  Node: 'n1', CheckID: id, Name: id, Status: status, Notes: '', Output: '', ServiceID: serviceID, ServiceName: serviceID, ServiceTags: [], Type: 'ttl', Definition: {}, CreateIndex: 3, ModifyIndex: 3,
});
/** The servers' copy as their API shows it: other indexes, and the serfHealth check they own. */
const remoteOf = (services: Service[], checks: HealthCheck[]): RemoteNode => ({
  node: { Address: node.Address, Meta: { ...node.Meta } },
  services: services.map((s) => ({ ...s, CreateIndex: 90, ModifyIndex: 91 })),
  checks: [...checks.map((c) => ({ ...c, ModifyIndex: 99 })), { ...check('serfHealth', ''), Status: 'critical' }],
});
const sentAll = (services: Service[], checks: HealthCheck[]) =>
  new Map<string, string>([['node', canonical(node)], ...services.map((s) => [`service:${s.ID}`, canonical(s)] as [string, string]), ...checks.map((c) => [`check:${c.CheckID}`, canonical(c)] as [string, string])]);

describe('catalogDiff (client anti-entropy)', () => {
  it('writes nothing when the servers hold what the agent holds (indexes and serfHealth aside)', () => {
    const checks = [check('service:web', 'web'), check('mem', '')];
    expect(catalogDiff({ node, services: [web], checks }, remoteOf([web], checks), sentAll([web], checks))).to.deep.equal([]);
  });

  it('writes the node, then everything, to servers that do not have the node', () => {
    const checks = [check('service:web', 'web'), check('mem', '')];
    const writes = catalogDiff({ node, services: [web], checks }, { node: null, services: [], checks: [] }, new Map());
    expect(writes).to.deep.equal([{ op: 'node' }, { op: 'service', id: 'web' }, { op: 'check', id: 'mem' }]);
  });

  it('a service check that changed status sends its service again; a node check alone', () => {
    const local = [check('service:web', 'web', 'critical'), check('mem', '', 'warning')];
    const remote = remoteOf([web], [check('service:web', 'web'), check('mem', '')]);
    const writes = catalogDiff({ node, services: [web], checks: local }, remote, sentAll([web], local));
    expect(writes).to.deep.equal([{ op: 'service', id: 'web' }, { op: 'check', id: 'mem' }]);
  });

  it('drops what the servers have and the agent does not, a dropped service taking its checks along', () => {
    const old: Service = { ...web, ID: 'old', Service: 'old' };
    const remote = remoteOf([web, old], [check('service:old', 'old'), check('gone', '')]);
    const writes = catalogDiff({ node, services: [web], checks: [] }, remote, sentAll([web], []));
    expect(writes).to.deep.equal([{ op: 'drop-service', id: 'old' }, { op: 'drop-check', id: 'gone' }]);
  });

  it('a local change the servers’ view cannot show (a check definition) is sent once', () => {
    const before = check('mem', '');
    const after = { ...before, Definition: { TTL: '30s' } };
    const remote = remoteOf([], [before]);
    expect(catalogDiff({ node, services: [], checks: [after] }, remote, sentAll([], [before]))).to.deep.equal([{ op: 'check', id: 'mem' }]);
    expect(catalogDiff({ node, services: [], checks: [after] }, remote, sentAll([], [after]))).to.deep.equal([]);
  });

  it('scales the sync period as Consul does past 128 members', () => {
    expect(scaledInterval(60_000, 1)).to.equal(60_000);
    expect(scaledInterval(60_000, 128)).to.equal(60_000);
    expect(scaledInterval(60_000, 256)).to.equal(120_000);
    expect(scaledInterval(60_000, 5000)).to.equal(420_000);
  });
});
