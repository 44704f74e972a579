import { expect } from 'chai';
import { membersTable, memberStatusName, type AgentMember } from './members-table.js';

const server = (name: string, status = 1, extra: Record<string, string> = {}): AgentMember => ({
  Name: name,
  Addr: '127.0.0.1',
  Port: 8500,
  Status: status,
  Tags: { role: 'consul', build: '1.8.7:praetor', vsn: '2', dc: 'dc1', segment: '', ...extra },
});

describe('members table', () => {
  it('prints Consul 1.8 columns, servers first then by name, the last column unpadded', () => {
    const client: AgentMember = { Name: 'aaa', Addr: '::1', Port: 8301, Status: 4, Tags: { role: 'node', build: '1.8.7:abc', vsn: '2', dc: 'dc1' } };
    expect(membersTable([server('zeta'), client, server('beta', 3)])).to.equal(
      [
        'Node  Address         Status  Type    Build  Protocol  DC   Segment',
        'beta  127.0.0.1:8500  left    server  1.8.7  2         dc1  <all>',
        'zeta  127.0.0.1:8500  alive   server  1.8.7  2         dc1  <all>',
        'aaa   [::1]:8301      failed  client  1.8.7  2         dc1  <default>',
        '',
      ].join('\n'),
    );
  });

  it('shows an unknown role with empty columns and a missing build as "< 0.3"', () => {
    const odd: AgentMember = { Name: 'odd', Addr: '10.0.0.1', Port: 1, Status: 9, Tags: {} };
    const old: AgentMember = { Name: 'old', Addr: '10.0.0.2', Port: 2, Status: 0, Tags: { role: 'node' } };
    const lines = membersTable([odd, old])!.split('\n');
    expect(lines[1]!.trimEnd().split(/\s+/)).to.deep.equal(['odd', '10.0.0.1:1', 'unknown', 'unknown']);
    expect(lines[2]!.split(/\s+/)).to.deep.equal(['old', '10.0.0.2:2', 'none', 'client', '<', '0.3', '<default>']);
  });

  it('-detailed lists every tag sorted, with the segment as shown', () => {
    expect(membersTable([server('n1', 1, { id: 'x' })], { detailed: true })).to.equal(
      'Node  Address         Status  Tags\nn1    127.0.0.1:8500  alive   build=1.8.7:praetor,dc=dc1,id=x,role=consul,segment=<all>,vsn=2\n',
    );
  });

  it('filters on the status name by regexp, unanchored, and is undefined when nothing matches', () => {
    const all = [server('a', 1), server('b', 4), server('c', 3)];
    expect(membersTable(all, { status: /fail/ })!.split('\n').slice(1, -1).map((l) => l.split(' ')[0])).to.deep.equal(['b']);
    expect(membersTable(all, { status: /^(alive|left)$/ })!.split('\n')).to.have.length(4);
    expect(membersTable(all, { status: /leaving/ })).to.equal(undefined);
    expect(membersTable([])).to.equal(undefined);
  });

  it('names serf statuses', () => {
    expect([0, 1, 2, 3, 4, 5].map(memberStatusName)).to.deep.equal(['none', 'alive', 'leaving', 'left', 'failed', 'unknown']);
  });
});
