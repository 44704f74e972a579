import { expect } from 'chai';
import { parseName } from './query-name.js';

describe('DNS query names', () => {
  const parse = (name: string) => parseName(name, ['consul.', 'alt.'], 'dc1');

  it('reads the forms of Consul 1.8, labels right to left', () => {
    const table: Array<[string, unknown]> = [
      ['web.service.consul', { kind: 'service', dc: 'dc1', service: 'web' }],
      ['v1.web.service.dc2.consul', { kind: 'service', dc: 'dc2', service: 'web', tag: 'v1' }],
      ['_web._v1.service.consul', { kind: 'service', dc: 'dc1', service: 'web', tag: 'v1' }],
      ['_web._tcp.consul', { kind: 'service', dc: 'dc1', service: 'web' }],
      ['WEB.Service.ALT', { kind: 'service', dc: 'dc1', service: 'web' }],
      ['a.b.c.service.consul', { kind: 'invalid' }],
      ['n1.node.consul', { kind: 'node', dc: 'dc1', node: 'n1' }],
      ['host.example.node.dc1.consul', { kind: 'node', dc: 'dc1', node: 'host.example' }],
      ['0a000001.addr.consul', { kind: 'addr', dc: 'dc1', hex: '0a000001' }],
      ['x.query.consul', { kind: 'query' }],
      ['consul', { kind: 'invalid' }],
      ['foo.bar.consul', { kind: 'invalid' }],
      ['service.consul', { kind: 'invalid' }],
      ['example.com', { kind: 'outside' }],
      ['notconsul', { kind: 'outside' }],
      ['1.0.0.10.in-addr.arpa', { kind: 'reverse', ip: '10.0.0.1' }],
      ['300.0.0.10.in-addr.arpa', { kind: 'reverse', ip: undefined }],
      ['6.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa', { kind: 'reverse', ip: '2001:db8::6' }],
    ];
    for (const [name, want] of table) expect([name, parse(name)]).to.deep.equal([name, want]);
  });
});
