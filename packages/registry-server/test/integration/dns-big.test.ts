import { expect } from 'chai';
import { dig, registerMany, startDnsAgent, type DnsAgent } from './dig.js';

/** A service of 5,000 instances over DNS, with the default settings. */
describe('DNS: a 5,000-instance service', function () {
  this.timeout(180_000);
  let agent: DnsAgent;

  before(async () => {
    agent = await startDnsAgent(['-dev', '-node=dns-big']);
    await registerMany(agent.url, 'huge', 5000);
  });
  after(async () => {
    await agent?.stop();
  });

  /** Each SRV answer's target has exactly one address record among the extras, and no target repeats. */
  const extrasMatch = (answers: Array<{ data: string }>, extras: Array<{ name: string; type: string }>) => {
    const targets = answers.map((r) => r.data.split(' ')[3]);
    expect(new Set(targets).size).to.equal(targets.length);
    expect(extras.filter((r) => r.type === 'A').map((r) => r.name).sort()).to.deep.equal([...targets].sort());
  };

  it('UDP without EDNS: 3 answers (udp_answer_limit) with their extras, no TC (enable_truncate is off)', async () => {
    const srv = await dig(agent.dnsPort, 'huge.service.consul', 'SRV', ['+noedns']);
    expect([srv.status, srv.answer.length, srv.flags.includes('tc')]).to.deep.equal(['NOERROR', 3, false]);
    expect(srv.size).to.be.at.most(512);
    extrasMatch(srv.answer, srv.additional);
    expect((await dig(agent.dnsPort, 'huge.service.consul', 'A', ['+noedns'])).answer).to.have.length(3);
  });

  it('UDP with EDNS 1232: as many as fit in 1232 bytes, each with its target address', async () => {
    const srv = await dig(agent.dnsPort, 'huge.service.consul', 'SRV', ['+bufsize=1232']);
    expect(srv.answer.length).to.be.above(3);
    expect(srv.size).to.be.at.most(1232);
    extrasMatch(srv.answer, srv.additional);
  });

  it('TCP: as many as fit in one 64 KiB message; another random selection each time', async () => {
    const a = await dig(agent.dnsPort, 'huge.service.consul', 'SRV', [], true);
    const b = await dig(agent.dnsPort, 'huge.service.consul', 'SRV', [], true);
    expect(a.answer.length).to.be.above(500);
    expect(a.size).to.be.at.most(65_535);
    extrasMatch(a.answer, a.additional);
    expect(a.answer.map((r) => r.data)).to.not.deep.equal(b.answer.map((r) => r.data));
    const addrs = await dig(agent.dnsPort, 'huge.service.consul', 'A', [], true);
    expect(addrs.answer.length).to.be.above(1000);
    expect(addrs.size).to.be.at.most(65_535);
  });
});
