import { expect } from 'chai';
import { DEFAULT_WEIGHTS, type Service } from '../structs/service.js';
import { agentServiceContentHash } from './content-hash.js';

const service = (s: Partial<Service> & { ID: string }): Service => ({
  Node: 'n',
  Service: s.ID,
  Tags: [],
  Address: '',
  Meta: {},
  Port: 0,
  Weights: { ...DEFAULT_WEIGHTS },
  EnableTagOverride: false,
  CreateIndex: 7,
  ModifyIndex: 9,
  ...s,
});

describe('agentServiceContentHash: the ContentHash of /v1/agent/service/:id', () => {
  // Each registered on a real Consul 1.8.7 agent, the hash read back from /v1/agent/service/:id
  // (the agent's own tagged addresses for an IP Address included, as it stores them).
  const vectors: Array<[Service, string]> = [
    [service({ ID: 'foo', Tags: ['bar', 'baz'], Port: 8000 }), '6b13684bfe179e67'],
    [
      service({
        ID: 'h2',
        Tags: ['b', 'a'],
        Port: 1,
        Address: '10.1.1.1',
        Meta: { k: 'v', z: 'y' },
        TaggedAddresses: { lan_ipv4: { Address: '10.1.1.1', Port: 1 }, wan_ipv4: { Address: '10.1.1.1', Port: 1 } },
        Weights: { Passing: 3, Warning: 2 },
        EnableTagOverride: true,
      }),
      '89f9b914e252b7c',
    ],
    [service({ ID: 'h3', TaggedAddresses: { lan: { Address: '1.2.3.4', Port: 5 }, wan: { Address: '5.6.7.8', Port: 0 } } }), 'dbccd14dd1c602fc'],
    [service({ ID: 'h4-id', Service: 'h4', Port: -1 }), '4f2037f2a8f7d35a'],
    [service({ ID: 'h5', EnableTagOverride: true }), '7129941a1b597e7'],
    [service({ ID: 'h6', Meta: { k: 'v' } }), 'b3f9375ce54bfc27'],
    [service({ ID: 'h7', Weights: { Passing: 3, Warning: 2 } }), '8bdc2805a8c1c2dc'],
  ];
  for (const [s, want] of vectors) {
    it(`${s.ID}: ${want}`, () => expect(agentServiceContentHash(s)).to.equal(want));
  }

  it('does not depend on the map order of Meta or TaggedAddresses, and does on the order of Tags', () => {
    const a = service({ ID: 'x', Meta: { a: '1', b: '2' }, Tags: ['t1', 't2'] });
    const b = service({ ID: 'x', Meta: { b: '2', a: '1' }, Tags: ['t1', 't2'] });
    const c = service({ ID: 'x', Meta: { a: '1', b: '2' }, Tags: ['t2', 't1'] });
    expect(agentServiceContentHash(a)).to.equal(agentServiceContentHash(b));
    expect(agentServiceContentHash(a)).not.to.equal(agentServiceContentHash(c));
  });
});
