import { expect } from 'chai';
import { addressFromHex, canonicalIpv6, hexAddress, metaTxt } from './records.js';
import { serviceTtl } from './service-ttl.js';
import { DNS_DEFAULTS } from '../config/dns-settings.js';

describe('DNS records', () => {
  it('hex addresses both ways', () => {
    expect(hexAddress('10.1.0.2')).to.equal('0a010002');
    expect(hexAddress('2001:db8::6')).to.equal('20010db8000000000000000000000006');
    expect(hexAddress('::ffff:1.2.3.4')).to.equal('00000000000000000000ffff01020304');
    expect(hexAddress('web.example.com')).to.equal(undefined);
    expect(addressFromHex('0a010002')).to.equal('10.1.0.2');
    expect(addressFromHex('20010db8000000000000000000000006')).to.equal('2001:db8::6');
    expect(['0a0100', 'zz', '0a01000g'].map(addressFromHex)).to.deep.equal([undefined, undefined, undefined]);
  });

  it('IPv6 in its shortest form, as Go prints it', () => {
    expect(['2001:0db8:0:0:1:0:0:1', '0:0:0:0:0:0:0:1', '1:0:0:0:0:0:0:0', '1:2:3:4:5:6:7:8'].map(canonicalIpv6)).to.deep.equal(['2001:db8::1:0:0:1', '::1', '1::', '1:2:3:4:5:6:7:8']);
  });

  it('node meta as TXT: key=value, rfc1035- keys bare', () => {
    expect(metaTxt('n', 1500, { env: 'prod', 'rfc1035-x': 'bare' }).map((r) => ['ttl' in r ? r.ttl : undefined, 'data' in r ? r.data : undefined])).to.deep.equal([[1, 'env=prod'], [1, 'bare']]);
  });

  it('service_ttl: exact name, then the longest prefix*, then *', () => {
    const s = { ...DNS_DEFAULTS, serviceTtl: { '*': 1000, 'we*': 2000, 'web*': 3000, db: 4000 } };
    expect(['db', 'web', 'west', 'DB', 'other'].map((n) => serviceTtl(s, n))).to.deep.equal([4000, 3000, 2000, 4000, 1000]);
    expect(serviceTtl(DNS_DEFAULTS, 'web')).to.equal(0);
  });
});
