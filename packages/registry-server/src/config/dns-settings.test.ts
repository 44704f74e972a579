import { expect } from 'chai';
import { ConfigError } from '../errors.js';
import { DNS_DEFAULTS, parseDomain, parseRecursor } from './dns-settings.js';
import { loadAgentConfig } from './load-config.js';
import { tempFiles } from './test-files.js';

describe('DNS settings', () => {
  const files = tempFiles();
  const fails = (argv: string[]) => {
    try {
      loadAgentConfig(argv);
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('domain, alt_domain, recursors and dns_config from a file, flags over them', () => {
    const cfg = files.write('dns.json', {
      domain: 'Example',
      alt_domain: 'alt.',
      recursors: ['8.8.8.8', '[::1]:5353'],
      ports: { dns: -1 },
      dns_config: {
        node_ttl: '10s', service_ttl: { '*': '5s', 'Web*': '1m' }, allow_stale: false, max_stale: '1h', only_passing: true,
        udp_answer_limit: 5, enable_truncate: true, a_record_limit: 2, recursor_timeout: '300ms', disable_compression: true,
      },
    });
    const { config, warnings } = loadAgentConfig(['-dev', `-config-file=${cfg}`, '-recursor=127.0.0.1:53', '-domain=flag.']);
    expect(warnings).to.deep.equal([`config file "${cfg}": dns_config.max_stale is accepted and has no effect: with allow_stale, DNS answers from this server's copy however long ago it heard from the store`]);
    expect(config.ports.dns).to.equal(-1);
    expect(config.dns).to.deep.equal({
      domain: 'flag.', altDomain: 'alt.', recursors: ['127.0.0.1:53'], nodeTtl: 10_000, serviceTtl: { '*': 5000, 'web*': 60_000 },
      allowStale: false, maxStale: 3_600_000, onlyPassing: true, udpAnswerLimit: 5, enableTruncate: true, aRecordLimit: 2,
      recursorTimeout: 300, disableCompression: true,
    });
  });

  it('defaults: consul., no recursors, Consul 1.8 dns_config defaults', () => {
    expect(loadAgentConfig(['-dev']).config.dns).to.deep.equal(DNS_DEFAULTS);
    expect(loadAgentConfig(['-dev', '-recursor=1.1.1.1', '-recursor=2.2.2.2:54']).config.dns.recursors).to.deep.equal(['1.1.1.1:53', '2.2.2.2:54']);
  });

  it('bad values name the flag or the key; Consul dns_config keys Praetor ignores warn', () => {
    expect(fails(['-dev', '-recursor=dns.google'])).to.match(/for flag -recursor: recursor "dns.google" is not an IP address/);
    expect(fails(['-dev', '-domain=a..b'])).to.match(/for flag -domain: "a..b" is not a DNS domain/);
    expect(fails(['-dev', '-dns-port=-2'])).to.match(/for flag -dns-port: port -2 is out of range/);
    expect(fails(['-dev', `-config-file=${files.write('a.json', { dns_config: { node_ttl: 'soon' } })}`])).to.match(/dns_config\.node_ttl: .*soon/);
    expect(fails(['-dev', `-config-file=${files.write('b.json', { dns_config: { nope: true } })}`])).to.match(/unknown key "dns_config.nope"/);
    const { warnings } = loadAgentConfig(['-dev', `-config-file=${files.write('c.json', { dns_config: { use_cache: true, soa: { min_ttl: 1 } } })}`]);
    expect(warnings.join('\n')).to.match(/ignoring Consul settings that Praetor does not implement: dns_config.use_cache, dns_config.soa/);
  });

  it('parses domains and recursor addresses', () => {
    expect(['consul', 'Consul.', 'a-b.c_d'].map(parseDomain)).to.deep.equal(['consul.', 'consul.', 'a-b.c_d.']);
    expect(['1.2.3.4', '1.2.3.4:5353', '::1', '[::1]:5353'].map(parseRecursor)).to.deep.equal(['1.2.3.4:53', '1.2.3.4:5353', '[::1]:53', '[::1]:5353']);
  });
});
