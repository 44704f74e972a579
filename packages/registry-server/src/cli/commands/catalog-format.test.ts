import { expect } from 'chai';
import { keyValueList, nodesTable } from './catalog-nodes.js';
import { servicesList } from './catalog-services.js';
import { formatStats } from './info.js';

describe('catalog and info output', () => {
  const nodes = [
    { Node: 'web-1', ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: { wan: '1.2.3.4', lan: '10.0.0.1' }, Meta: { b: '2', a: '1' } },
    { Node: 'db', ID: '', Address: '10.0.0.2', Datacenter: 'dc1', TaggedAddresses: null, Meta: null },
  ];

  it('catalog nodes: the ID up to its first dash, and -detailed with sorted k=v lists', () => {
    expect(nodesTable(nodes, false)).to.equal('Node   ID        Address   DC\nweb-1  aaaaaaaa  10.0.0.1  dc1\ndb               10.0.0.2  dc1\n');
    expect(nodesTable(nodes, true).split('\n')[1]).to.equal('web-1  aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee  10.0.0.1  dc1  lan=10.0.0.1, wan=1.2.3.4  a=1, b=2');
    expect(keyValueList(undefined)).to.equal('');
  });

  it('catalog services: sorted names; -tags as a tab writer column six wider than the longest name', () => {
    const services = { web: ['v2', 'v1'], consul: [], 'long-name': ['x'] };
    expect(servicesList(services, false)).to.equal('consul\nlong-name\nweb\n');
    expect(servicesList(services, true)).to.equal('consul         \nlong-name      x\nweb            v1,v2\n');
    // The output is trimmed as a whole, so an untagged last service has no trailing spaces.
    expect(servicesList({ a: ['t'], b: [] }, true)).to.equal('a      t\nb\n');
  });

  it('info: sections and keys sorted, values after a tab', () => {
    expect(formatStats({ raft: { state: 'Leader', applied_index: '3' }, agent: { services: '1' } })).to.equal(
      'agent:\n\tservices = 1\nraft:\n\tapplied_index = 3\n\tstate = Leader\n',
    );
  });
});
