import { expect } from 'chai';
import { ConfigError } from '../errors.js';
import { agentUsage } from './flags.js';
import { loadAgentConfig } from './load-config.js';
import { tempFiles } from './test-files.js';

const KEY32 = Buffer.alloc(32, 7).toString('base64');

function fails(argv: string[]): string {
  try {
    loadAgentConfig(argv);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('encrypt, reconnect_timeout and the exposure warning (config)', () => {
  const tmp = tempFiles();

  it('takes -encrypt and "encrypt" as Consul does, and refuses a bad key with Consul 1.8.7\'s words', () => {
    expect(loadAgentConfig(['-dev', '-encrypt', KEY32]).config.encrypt).to.equal(KEY32);
    const file = tmp.write('e.json', { encrypt: Buffer.alloc(16, 1).toString('base64') });
    const { config, warnings } = loadAgentConfig(['-dev', '-config-file', file]);
    expect(config.encrypt).to.equal(Buffer.alloc(16, 1).toString('base64'));
    expect(warnings.join('\n')).not.to.include('encrypt');
    // The texts `consul agent -dev -encrypt=...` prints.
    expect(fails(['-dev', '-encrypt=bad'])).to.equal('encrypt has invalid key: illegal base64 data at input byte 0');
    expect(fails(['-dev', '-encrypt=YWJjZA='])).to.equal('encrypt has invalid key: illegal base64 data at input byte 7');
    expect(fails(['-dev', '-encrypt=YWJjZA'])).to.equal('encrypt has invalid key: illegal base64 data at input byte 4');
    expect(fails(['-dev', '-encrypt=YWJjZA==x'])).to.equal('encrypt has invalid key: illegal base64 data at input byte 8');
    expect(fails(['-dev', '-encrypt=YWJj'])).to.match(/^Failed to configure keyring: key size must be 16, 24 or 32 bytes \(encrypt holds 3\); generate one with /);
    expect(fails(['-dev', '-config-file', tmp.write('bad.json', { encrypt: '!!!' })])).to.equal('encrypt has invalid key: illegal base64 data at input byte 0');
    // An empty key is no key, as in Consul.
    expect(loadAgentConfig(['-dev', '-encrypt=']).config.encrypt).to.equal(undefined);
  });

  it('says in -h what -encrypt does and does not do', () => {
    const usage = agentUsage();
    expect(usage).to.match(/-encrypt=<key>\n\s+Shared key .*authenticates membership messages.*nothing is encrypted/);
  });

  it('reconnect_timeout: 72h by default, Consul durations, at least 8h except in -dev', () => {
    const dataDir = tmp.dir();
    expect(loadAgentConfig(['-dev']).config.reconnectTimeout).to.equal(72 * 3_600_000);
    const f = (v: unknown) => tmp.write(`rt-${String(v)}.json`, { reconnect_timeout: v });
    expect(loadAgentConfig(['-data-dir', dataDir, '-config-file', f('10h')]).config.reconnectTimeout).to.equal(10 * 3_600_000);
    const short = loadAgentConfig(['-data-dir', dataDir, '-config-file', f('1h')]);
    expect(short.config.reconnectTimeout).to.equal(8 * 3_600_000);
    expect(short.warnings.join('\n')).to.include('reconnect_timeout (3600s) is below the 8h minimum; using 8h');
    expect(loadAgentConfig(['-dev', '-config-file', f('3s')]).config.reconnectTimeout).to.equal(3000);
    expect(loadAgentConfig(['-dev', '-config-file', f('0')]).config.reconnectTimeout).to.equal(72 * 3_600_000);
    expect(fails(['-dev', '-config-file', f('bogus')])).to.match(/reconnect_timeout: invalid duration "bogus"/);
    expect(fails(['-dev', '-config-file', f('-1s')])).to.match(/reconnect_timeout: "-1s" must not be negative/);
  });

  it('member_timeout / -member-timeout: 6s by default, Go durations, at least 1s, documented in the usage', () => {
    expect(loadAgentConfig(['-dev']).config.memberTimeout).to.equal(6000);
    expect(loadAgentConfig(['-dev', '-member-timeout', '3s']).config.memberTimeout).to.equal(3000);
    expect(loadAgentConfig(['-dev', '-config-file', tmp.write('mt.json', { member_timeout: '1m' })]).config.memberTimeout).to.equal(60_000);
    expect(fails(['-dev', '-member-timeout', '500ms'])).to.match(/-member-timeout: "500ms" is too short: at least 1s/);
    expect(fails(['-dev', '-config-file', tmp.write('mt-bad.json', { member_timeout: 'soon' })])).to.match(/member_timeout: invalid duration "soon"/);
    expect(agentUsage()).to.match(/-member-timeout=<duration>\n\s+How long a client agent may go without a heartbeat/);
  });

  it('warns at start when -client is not loopback: with no key it names what is exposed', () => {
    expect(loadAgentConfig(['-dev', '-client', '127.0.0.2 ::1']).warnings).to.deep.equal([]);
    const open = loadAgentConfig(['-dev', '-client', '0.0.0.0']).warnings.join('\n');
    expect(open).to.include('the HTTP API listens on 0.0.0.0 (not loopback) and Praetor has no ACLs and no encrypt key is set');
    for (const what of ['membership', 'KV', 'catalog', 'snapshot save/restore', 'Set "encrypt"']) expect(open).to.include(what);
    const keyed = loadAgentConfig(['-dev', '-client', '127.0.0.1 10.1.2.3', '-encrypt', KEY32]).warnings.join('\n');
    expect(keyed).to.include('the HTTP API listens on 10.1.2.3 (not loopback)');
    expect(keyed).to.include('membership messages are authenticated with the encrypt key, but the rest of the HTTP API');
  });
});
