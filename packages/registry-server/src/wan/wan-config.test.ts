import { expect } from 'chai';
import { ConfigError } from '../errors.js';
import { loadAgentConfig } from '../config/load-config.js';
import { tempFiles } from '../config/test-files.js';

describe('retry_join_wan / -retry-join-wan (config)', () => {
  const tmp = tempFiles();

  it('takes the flag (repeatable) and the config key, appended, as HTTP base URLs with port 8500 by default', () => {
    const file = tmp.write('w.json', { retry_join_wan: ['10.0.0.3'] });
    const { config, warnings } = loadAgentConfig(['-dev', '-config-file', file, '-retry-join-wan', '10.0.0.1:8501', '-retry-join-wan=[::1]']);
    expect(config.retryJoinWan).to.deep.equal(['http://10.0.0.3:8500', 'http://10.0.0.1:8501', 'http://[::1]:8500']);
    expect(warnings.join('\n')).not.to.include('retry');
  });

  it('refuses an address that is not host[:port] with the key named', () => {
    expect(() => loadAgentConfig(['-dev', '-retry-join-wan', 'host:http'])).to.throw(ConfigError, 'retry_join_wan: invalid port "http"');
    expect(() => loadAgentConfig(['-dev', '-config-file', tmp.write('b.json', { retry_join_wan: 'one' })])).to.throw(ConfigError, 'expected a list of addresses');
  });
});
