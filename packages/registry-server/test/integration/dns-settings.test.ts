import { expect } from 'chai';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { datas, dig, FIXTURES, register, startDnsAgent, type DnsAgent } from './dig.js';
import { startUpstream, type Upstream } from './dns-upstream.js';
import { startAgent, tempDir } from './harness.js';

/** The 30-instance service of the comparison with Consul 1.8.7 (names and addresses as there). */
async function registerBig(url: string): Promise<void> {
  for (let i = 1; i <= 30; i++) {
    await register(url, { Node: `big-node-${i}`, Address: `10.2.${Math.floor(i / 250)}.${(i % 250) + 1}`, Service: { ID: `big${i}`, Service: 'big', Port: 1000 + i } });
  }
}

/**
 * domain, alt_domain, recursors and dns_config, with the answers a Consul 1.8.7 agent gives
 * with the same settings (`-config-file` with the keys below) to the same questions.
 */
describe('DNS settings (dig, as Consul 1.8.7 answers)', function () {
  this.timeout(60_000);
  let agent: DnsAgent;
  let upstream: Upstream;
  let dead: Upstream;
  let dir: string;

  before(async () => {
    upstream = await startUpstream({ 'example.com': '192.0.2.1', '99.0.0.10.in-addr.arpa': '192.0.2.99' });
    dead = await startUpstream({}, true);
    dir = tempDir();
    const cfg = path.join(dir, 'dns.json');
    fs.writeFileSync(cfg, JSON.stringify({
      alt_domain: 'alt.',
      recursors: [`127.0.0.1:${dead.port}`, `127.0.0.1:${upstream.port}`],
      dns_config: {
        node_ttl: '10s',
        service_ttl: { '*': '5s', 'we*': '7s', big: '9s' },
        only_passing: true,
        a_record_limit: 2,
        enable_truncate: true,
        udp_answer_limit: 5,
        recursor_timeout: '300ms',
      },
    }));
    agent = await startDnsAgent(['-dev', '-node=dns-agent', `-config-file=${cfg}`]);
    for (const f of FIXTURES) await register(agent.url, f);
    await registerBig(agent.url);
  });
  after(async () => {
    await agent?.stop();
    await upstream?.close();
    await dead?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const q = (name: string, type: string, opts: string[] = [], tcp = false) => dig(agent.dnsPort, name, type, opts, tcp);

  it('service_ttl (exact name, then longest prefix*, then *) on answers and extras; node_ttl on nodes, addr and NS; reverse, SOA and NXDOMAIN stay 0', async () => {
    const web = await q('web.service.consul', 'SRV');
    expect([...web.answer, ...web.additional].every((r) => r.ttl === 7), web.raw).to.equal(true);
    const db = await q('db.service.consul', 'SRV');
    expect([...db.answer, ...db.additional].every((r) => r.ttl === 5), db.raw).to.equal(true);
    expect((await q('big.service.consul', 'A')).answer.map((r) => r.ttl)).to.deep.equal([9, 9]);
    const node = await q('n1.node.consul', 'A');
    expect([...node.answer, ...node.additional].map((r) => r.ttl)).to.deep.equal([10, 10, 10]);
    expect((await q('0a000001.addr.consul', 'A')).answer.map((r) => r.ttl)).to.deep.equal([10]);
    expect((await q('1.0.0.10.in-addr.arpa', 'PTR')).answer.map((r) => r.ttl)).to.deep.equal([0]);
    const soa = await q('consul', 'SOA');
    expect([soa.answer[0].ttl, soa.authority[0].ttl, soa.additional[0].ttl]).to.deep.equal([0, 10, 10]);
    expect((await q('nosuch.service.consul', 'A')).authority.map((r) => r.ttl)).to.deep.equal([0]);
  });

  it('only_passing leaves warning instances out', async () => {
    expect(datas((await q('web.service.consul', 'A')).answer)).to.deep.equal(['10.0.0.1']);
    expect(datas((await q('web.service.consul', 'SRV')).answer)).to.deep.equal(['1 1 80 n1.node.dc1.consul.', '1 1 83 web4.example.com.', '1 1 86 n6.node.dc1.consul.']);
  });

  it('a_record_limit caps A answers over UDP and TCP, not SRV', async () => {
    expect((await q('big.service.consul', 'A', ['+bufsize=4096'])).answer).to.have.length(2);
    expect((await q('big.service.consul', 'A', [], true)).answer).to.have.length(2);
    expect((await q('big.service.consul', 'SRV', ['+bufsize=4096'])).answer).to.have.length(30);
  });

  it('udp_answer_limit without EDNS, then 512 bytes; enable_truncate sets TC; TCP has them all', async () => {
    const udp = await q('big.service.consul', 'SRV', ['+noedns']);
    // 5 answers (udp_answer_limit) do not fit 512 bytes uncompressed: 4 do (Consul 1.8.7 sends 4 too).
    expect([udp.flags.includes('tc'), udp.answer.length, udp.additional.length]).to.deep.equal([true, 4, 4]);
    expect(udp.size).to.be.at.most(512);
    const extraNames = udp.additional.map((r) => r.name).sort();
    expect(extraNames).to.deep.equal(udp.answer.map((r) => r.data.split(' ')[3]).sort());
    const tcp = await q('big.service.consul', 'SRV', [], true);
    expect([tcp.flags.includes('tc'), tcp.answer.length, tcp.additional.length]).to.deep.equal([false, 30, 30]);
  });

  it('the EDNS0 buffer size raises the byte limit and lifts the answer cap; the reply carries the OPT back', async () => {
    const a = await q('big.service.consul', 'SRV', ['+bufsize=1232']);
    expect(a.edns).to.equal(1232);
    expect(a.flags).to.include('tc');
    expect(a.answer.length).to.be.above(5);
    expect(a.size).to.be.at.most(1232);
  });

  it('alt_domain: answers under the name asked; SRV targets, the SOA and NS stay in the primary domain', async () => {
    const a = await q('web.service.alt', 'A');
    expect(a.answer.map((r) => `${r.name} ${r.ttl} ${r.data}`)).to.deep.equal(['web.service.alt. 7 10.0.0.1']);
    const srv = await q('web.service.alt', 'SRV');
    expect(datas(srv.answer)).to.deep.equal(['1 1 80 n1.node.dc1.consul.', '1 1 83 web4.example.com.', '1 1 86 n6.node.dc1.consul.']);
    expect(datas((await q('n1.node.alt', 'A')).answer)).to.deep.equal(['10.0.0.1']);
    expect((await q('alt', 'SOA')).answer.map((r) => `${r.name} ${r.type}`)).to.deep.equal(['consul. SOA']);
    expect((await q('nosuch.service.alt', 'A')).authority.map((r) => r.name)).to.deep.equal(['consul.']);
  });

  it('with recursors, RA is set on every authoritative answer', async () => {
    expect((await q('web.service.consul', 'A')).flags).to.deep.equal(['qr', 'aa', 'rd', 'ra']);
    expect((await q('nosuch.service.consul', 'A')).flags).to.deep.equal(['qr', 'aa', 'rd', 'ra']);
  });

  for (const tcp of [false, true]) {
    it(`names outside the domain go to the recursors in turn, past a dead one (${tcp ? 'TCP' : 'UDP'}); the answer is relayed as it came`, async () => {
      for (let i = 0; i < 4; i++) {
        const a = await q('example.com', 'A', [], tcp);
        expect([a.status, a.answer.map((r) => `${r.ttl} ${r.data}`)]).to.deep.equal(['NOERROR', ['42 192.0.2.1']]);
      }
      // Round robin: each recursor was asked first in turn, so the dead one saw some questions.
      expect(dead.asked.filter((n) => n === 'example.com').length).to.be.at.least(2);
    });
  }

  it('every recursor failing (timeout, SERVFAIL) is SERVFAIL with RA and without AA; a reverse miss goes to the recursors too', async () => {
    const a = await q('fail.example.com', 'A');
    expect([a.status, a.flags]).to.deep.equal(['SERVFAIL', ['qr', 'rd', 'ra']]);
    expect(datas((await q('99.0.0.10.in-addr.arpa', 'PTR')).answer)).to.deep.equal(['192.0.2.99']);
  });
});

describe('DNS listener', function () {
  this.timeout(30_000);

  it('-dns-port=-1: no DNS interface', async () => {
    const a = await startAgent(['-dev', '-dns-port=-1', '-log-level=warn']);
    try {
      expect(a.output()).to.not.include('DNS Addr');
      const self = (await (await fetch(`${a.url}/v1/agent/self`)).json()) as { DebugConfig: { DNSPort: number } };
      expect(self.DebugConfig.DNSPort).to.equal(-1);
    } finally {
      await a.stop();
    }
  });

  it('a DNS port in use: the agent runs on without DNS and says why', async () => {
    const taken = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', () => resolve()));
    const a = await startAgent(['-dev', `-dns-port=${taken.address().port}`, '-log-level=warn']);
    try {
      expect(a.output()).to.match(/DNS is off: cannot listen on 127\.0\.0\.1 port \d+/);
      expect(a.output()).to.not.include('DNS Addr');
      expect((await fetch(`${a.url}/v1/status/leader`)).status).to.equal(200);
    } finally {
      await a.stop();
      taken.close();
    }
  });
});
