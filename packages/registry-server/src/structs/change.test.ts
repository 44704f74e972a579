import { expect } from 'chai';
import { StateStore } from '../state/state-store.js';
import { ownedKey, splitKey, type Change } from './change.js';
import type { Service } from './service.js';

const NAMES = ['', 'a', 'a\u0000b', '\u0000', 'a\u0000', '\u0000a', 'a\nb', 'a/b', '["a","b"]', '"', '\\', 'é', '\u0001', 'x'.repeat(1000)];

const service = (node: string, id: string): Change => ({
  t: 'service',
  k: ownedKey(node, id),
  v: { Node: node, ID: id, Service: `s${id}`, Tags: [], Address: '', Meta: {}, Port: 1, Weights: { Passing: 1, Warning: 1 }, EnableTagOverride: false } as unknown as Omit<Service, 'CreateIndex' | 'ModifyIndex'>,
});

describe('service and check keys', () => {
  it('round-trip every pair of names, and no two pairs share a key', () => {
    const seen = new Map<string, [string, string]>();
    for (const node of NAMES) {
      for (const id of NAMES) {
        const key = ownedKey(node, id);
        expect(splitKey(key)).to.deep.equal([node, id]);
        expect(seen.get(key), `key ${JSON.stringify(key)}`).to.equal(undefined);
        seen.set(key, [node, id]);
        expect(key).not.to.include('\u0000');
      }
    }
  });

  it('still reads keys written by the old `node\\0id` format', () => {
    expect(splitKey('web-1\u0000redis')).to.deep.equal(['web-1', 'redis']);
    expect(splitKey('n\u0000')).to.deep.equal(['n', '']);
    expect(splitKey('[x\u0000y')).to.deep.equal(['[x', 'y']);
  });

  it('refuses a key that is neither form, naming it', () => {
    for (const bad of ['plain', '["a"]', '["a",1]', '{"a":"b"}', '["a","b"']) {
      expect(() => splitKey(bad)).to.throw(/malformed service or check key/);
    }
  });

  it('lets the store delete what it put, whatever the names hold', () => {
    const store = new StateStore();
    let rev = 0;
    for (const node of NAMES) {
      store.commit(++rev, [{ t: 'node', k: node, v: { ID: '', Node: node, Address: '127.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: {} } } as Change]);
      store.commit(++rev, NAMES.map((id) => service(node, id)));
    }
    expect(store.catalog.serviceInstances('sa\u0000b').map((s) => [s.Node, s.ID])).to.deep.equal([...NAMES].sort().map((n) => [n, 'a\u0000b']));
    for (const node of NAMES) store.commit(++rev, NAMES.map((id) => ({ t: 'service', k: ownedKey(node, id), v: null }) as Change));
    expect(store.catalog.services.size).to.equal(0);
    expect(store.catalog.byName.size).to.equal(0);
  });

  it('replays changes written with old-format keys into the same state as new ones', () => {
    const node = { ID: '', Node: 'web-1', Address: '127.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: {} };
    const old = new StateStore();
    old.commit(1, [{ t: 'node', k: 'web-1', v: node } as Change, { ...service('web-1', 'redis'), k: 'web-1\u0000redis' }]);
    old.commit(2, [{ ...service('web-1', 'db'), k: 'web-1\u0000db' }]);
    old.commit(3, [{ t: 'service', k: 'web-1\u0000redis', v: null }]);
    // The same history written after the change, then continued from an old-format store.
    const fresh = new StateStore();
    fresh.commit(1, [{ t: 'node', k: 'web-1', v: node } as Change, service('web-1', 'redis')]);
    fresh.commit(2, [service('web-1', 'db')]);
    fresh.commit(3, [{ t: 'service', k: ownedKey('web-1', 'redis'), v: null }]);
    expect(old.catalog.nodeServices('web-1')).to.deep.equal(fresh.catalog.nodeServices('web-1'));
    old.commit(4, [{ t: 'service', k: ownedKey('web-1', 'db'), v: null }]);
    expect(old.catalog.services.size).to.equal(0);
  });
});
