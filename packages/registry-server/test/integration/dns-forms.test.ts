import { expect } from 'chai';
import { datas, dig, FIXTURES, register, startDnsAgent, type DigAnswer, type DnsAgent } from './dig.js';

/**
 * Every DNS form against a real agent with the real `dig`, over UDP and TCP. The expected
 * answers are the ones a Consul 1.8.7 agent (`agent -dev`, same catalog) gives to the same
 * questions, corner cases included; each was dug out of the reference binary.
 */
describe('DNS forms (dig, as Consul 1.8.7 answers)', function () {
  this.timeout(60_000);
  let agent: DnsAgent;

  before(async () => {
    agent = await startDnsAgent(['-dev', '-node=dns-agent']);
    for (const f of FIXTURES) await register(agent.url, f);
  });
  after(async () => {
    await agent?.stop();
  });

  const soaOf = (a: DigAnswer) => {
    expect(a.authority, a.raw).to.have.length(1);
    const [mname, rname, serial, ...rest] = a.authority[0].data.split(' ');
    expect([a.authority[0].name, a.authority[0].type, a.authority[0].ttl, mname, rname, ...rest]).to.deep.equal(['consul.', 'SOA', 0, 'ns.consul.', 'hostmaster.consul.', '3600', '600', '86400', '0']);
    // The serial is the current Unix time.
    expect(Math.abs(Number(serial) - Date.now() / 1000)).to.be.below(60);
  };

  for (const tcp of [false, true]) {
    describe(tcp ? 'over TCP' : 'over UDP', () => {
      const q = (name: string, type: string, opts: string[] = []) => dig(agent.dnsPort, name, type, opts, tcp);

      it('NAME.service A: the passing and warning instances (service address first), never critical; IPv6 and host names left out', async () => {
        const a = await q('web.service.consul', 'A');
        expect([a.status, a.flags]).to.deep.equal(['NOERROR', ['qr', 'aa', 'rd']]);
        expect(datas(a.answer)).to.deep.equal(['10.0.0.1', '10.1.0.2']);
        expect(a.answer.every((r) => r.name === 'web.service.consul.' && r.type === 'A' && r.ttl === 0)).to.equal(true);
        expect(a.authority).to.deep.equal([]);
        expect(a.edns).to.equal(1232);
      });

      it('NAME.service SRV: weights, node and addr targets, a host name as its own target, A/AAAA and node meta TXT as extras', async () => {
        const a = await q('web.service.consul', 'SRV');
        expect(a.status).to.equal('NOERROR');
        expect(datas(a.answer)).to.deep.equal(['1 1 80 n1.node.dc1.consul.', '1 1 83 web4.example.com.', '1 1 86 n6.node.dc1.consul.', '1 2 81 0a010002.addr.dc1.consul.']);
        expect(a.additional.map((r) => `${r.name} ${r.type} ${r.data}`).sort()).to.deep.equal([
          '0a010002.addr.dc1.consul. A 10.1.0.2',
          'n1.node.dc1.consul. A 10.0.0.1',
          'n1.node.dc1.consul. TXT "bar"',
          'n1.node.dc1.consul. TXT "env=prod"',
          'n6.node.dc1.consul. AAAA 2001:db8::6',
        ]);
      });

      it('AAAA, ANY and TXT (both families), MX (the first host name as CNAME, nothing else)', async () => {
        expect(datas((await q('web.service.consul', 'AAAA')).answer)).to.deep.equal(['2001:db8::6']);
        expect(datas((await q('web.service.consul', 'ANY')).answer)).to.deep.equal(['10.0.0.1', '10.1.0.2', '2001:db8::6']);
        expect(datas((await q('web.service.consul', 'TXT')).answer)).to.deep.equal(['10.0.0.1', '10.1.0.2', '2001:db8::6']);
        const mx = await q('web.service.consul', 'MX');
        expect(mx.answer.map((r) => `${r.type} ${r.data}`)).to.deep.equal(['CNAME web4.example.com.']);
      });

      it('answers are shuffled per query', async () => {
        const orders = new Set<string>();
        for (let i = 0; i < 30 && orders.size < 2; i++) orders.add((await q('web.service.consul', 'SRV')).answer.map((r) => r.data).join(','));
        expect(orders.size).to.equal(2);
      });

      it('TAG.NAME.service, _NAME._TAG.service, _NAME._tcp (no tag filter), without .service, with the datacenter', async () => {
        expect(datas((await q('v1.web.service.consul', 'A')).answer)).to.deep.equal(['10.0.0.1']);
        expect(datas((await q('_web._v1.service.consul', 'SRV')).answer)).to.deep.equal(['1 1 80 n1.node.dc1.consul.']);
        expect((await q('_web._tcp.service.consul', 'SRV')).answer).to.have.length(4);
        expect((await q('_web._tcp.consul', 'SRV')).answer).to.have.length(4);
        expect(datas((await q('_web._v2.consul', 'SRV')).answer)).to.deep.equal(['1 2 81 0a010002.addr.dc1.consul.']);
        expect(datas((await q('v1.web.service.dc1.consul', 'SRV')).answer)).to.deep.equal(['1 1 80 n1.node.dc1.consul.']);
        expect((await q('_web._tcp.service.dc1.consul', 'SRV')).answer).to.have.length(4);
      });

      it('NXDOMAIN with the SOA: unknown service or tag, only critical instances (a service check, maintenance, a node check), another datacenter, prepared queries, the domain itself', async () => {
        for (const name of ['nosuch.service.consul', 'nosuchtag.web.service.consul', 'dead.service.consul', 'maint.service.consul', 'nodecrit.service.consul', 'web.service.dc2.consul', 'foo.query.consul', 'consul', 'service.consul', 'foo.bar.consul', 'nosuch.node.consul']) {
          const a = await q(name, name.includes('service') ? 'SRV' : 'A');
          expect([name, a.status, a.flags]).to.deep.equal([name, 'NXDOMAIN', ['qr', 'aa', 'rd']]);
          soaOf(a);
        }
      });

      it('a service with instances but none of the type asked: NOERROR, no answer, the SOA', async () => {
        const a = await q('db.service.consul', 'A');
        expect([a.status, a.answer]).to.deep.equal(['NOERROR', []]);
        soaOf(a);
        expect(datas((await q('db.service.consul', 'AAAA')).answer)).to.deep.equal(['2001:db8::10']);
        const srv = await q('db.service.consul', 'SRV');
        expect(datas(srv.answer)).to.deep.equal(['1 1 5432 20010db8000000000000000000000010.addr.dc1.consul.']);
        expect(srv.additional.map((r) => `${r.name} ${r.type} ${r.data}`).sort()).to.deep.equal([
          '20010db8000000000000000000000010.addr.dc1.consul. AAAA 2001:db8::10',
          'n1.node.dc1.consul. TXT "bar"',
          'n1.node.dc1.consul. TXT "env=prod"',
        ]);
      });

      it('an address that is a host name: CNAME for A, SRV target itself without extras', async () => {
        expect((await q('host.service.consul', 'A')).answer.map((r) => `${r.type} ${r.data}`)).to.deep.equal(['CNAME n5.example.com.']);
        const srv = await q('host.service.consul', 'SRV');
        expect([datas(srv.answer), srv.additional]).to.deep.equal([['1 1 9 n5.example.com.'], []]);
        expect((await q('n5.node.consul', 'A')).answer.map((r) => `${r.type} ${r.data}`)).to.deep.equal(['CNAME n5.example.com.']);
      });

      it('NODE.node: A with node meta as TXT extras; AAAA of an IPv4 node is empty but keeps the TXT; TXT and ANY in the answer', async () => {
        const a = await q('n1.node.consul', 'A');
        expect([a.status, datas(a.answer), datas(a.additional)]).to.deep.equal(['NOERROR', ['10.0.0.1'], ['"bar"', '"env=prod"']]);
        const aaaa = await q('n1.node.consul', 'AAAA');
        expect([aaaa.status, aaaa.answer, aaaa.authority, datas(aaaa.additional)]).to.deep.equal(['NOERROR', [], [], ['"bar"', '"env=prod"']]);
        expect(datas((await q('n1.node.consul', 'TXT')).answer)).to.deep.equal(['"bar"', '"env=prod"']);
        expect(datas((await q('n1.node.consul', 'ANY')).answer)).to.deep.equal(['"bar"', '"env=prod"', '10.0.0.1']);
        expect(datas((await q('n1.node.dc1.consul', 'A')).answer)).to.deep.equal(['10.0.0.1']);
        expect(datas((await q('n6.node.consul', 'AAAA')).answer)).to.deep.equal(['2001:db8::6']);
        // Nothing of the type asked: an empty NOERROR without the SOA, unlike services.
        const mx = await q('n1.node.consul', 'MX');
        expect([mx.status, mx.answer, mx.authority, mx.additional]).to.deep.equal(['NOERROR', [], [], []]);
      });

      it('HEX.addr: the address whatever the type; bad hex is an empty NOERROR', async () => {
        expect((await q('0a000001.addr.consul', 'SRV')).answer.map((r) => `${r.type} ${r.data}`)).to.deep.equal(['A 10.0.0.1']);
        expect((await q('20010db8000000000000000000000006.addr.dc1.consul', 'A')).answer.map((r) => `${r.type} ${r.data}`)).to.deep.equal(['AAAA 2001:db8::6']);
        const bad = await q('zz.addr.consul', 'A');
        expect([bad.status, bad.answer, bad.authority]).to.deep.equal(['NOERROR', [], []]);
      });

      it('reverse lookups: a node, a service address, IPv6; TTL 0; an unknown address is SERVFAIL with RA and without AA', async () => {
        const node = await q('1.0.0.10.in-addr.arpa', 'PTR');
        expect(node.answer.map((r) => `${r.ttl} ${r.type} ${r.data}`)).to.deep.equal(['0 PTR n1.node.dc1.consul.']);
        expect(node.flags).to.deep.equal(['qr', 'aa', 'rd']);
        expect(datas((await q('2.0.1.10.in-addr.arpa', 'PTR')).answer)).to.deep.equal(['web.service.dc1.consul.']);
        expect(datas((await q('1.0.0.10.in-addr.arpa', 'A')).answer)).to.deep.equal(['n1.node.dc1.consul.']);
        const v6 = '0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa';
        expect(datas((await q(v6, 'PTR')).answer)).to.deep.equal(['db.service.dc1.consul.']);
        const unknown = await q('99.0.0.10.in-addr.arpa', 'PTR');
        expect([unknown.status, unknown.flags, unknown.answer]).to.deep.equal(['SERVFAIL', ['qr', 'rd', 'ra'], []]);
      });

      it('SOA and NS of the domain, for any name in it: the servers as name servers with glue', async () => {
        const soa = await q('consul', 'SOA');
        expect(soa.answer.map((r) => `${r.name} ${r.type}`)).to.deep.equal(['consul. SOA']);
        expect(soa.authority.map((r) => `${r.name} ${r.ttl} ${r.type} ${r.data}`)).to.deep.equal(['consul. 0 NS dns-agent.node.dc1.consul.']);
        expect(soa.additional.map((r) => `${r.name} ${r.type} ${r.data}`)).to.deep.equal(['dns-agent.node.dc1.consul. A 127.0.0.1']);
        const ns = await q('web.service.consul', 'NS');
        expect([ns.answer.map((r) => `${r.name} ${r.type} ${r.data}`), ns.additional.length]).to.deep.equal([['consul. NS dns-agent.node.dc1.consul.'], 1]);
        expect(datas((await q('consul.service.consul', 'A')).answer)).to.deep.equal(['127.0.0.1']);
      });

      it('names outside the domain without recursors: REFUSED, neither AA nor RA, no OPT record', async () => {
        const a = await q('example.com', 'A');
        expect([a.status, a.flags, a.edns]).to.deep.equal(['REFUSED', ['qr', 'rd'], undefined]);
      });

      it('names are case-insensitive and the question is echoed as asked; RD is echoed', async () => {
        const a = await q('WEB.Service.CONSUL', 'A');
        expect(a.answer.map((r) => r.name)).to.deep.equal(['WEB.Service.CONSUL.', 'WEB.Service.CONSUL.']);
        expect(datas((await q('uppersvc.service.consul', 'A')).answer)).to.deep.equal(['10.0.0.9']);
        expect(datas((await q('mixed-case.node.consul', 'A')).answer)).to.deep.equal(['10.0.0.9']);
        expect((await q('web.service.consul', 'A', ['+norecurse'])).flags).to.deep.equal(['qr', 'aa']);
      });
    });
  }

  it('a DNS answer follows a write at once (same state store as the HTTP API)', async () => {
    await register(agent.url, { Node: 'late', Address: '10.9.9.9', Service: { ID: 'late', Service: 'late', Port: 1 } });
    expect(datas((await dig(agent.dnsPort, 'late.service.consul', 'A')).answer)).to.deep.equal(['10.9.9.9']);
    const res = await fetch(`${agent.url}/v1/catalog/deregister`, { method: 'PUT', body: JSON.stringify({ Node: 'late' }) });
    expect(res.status).to.equal(200);
    expect((await dig(agent.dnsPort, 'late.service.consul', 'A')).status).to.equal('NXDOMAIN');
  });
});
