import { ApiClient, readTokenFile } from './api-client.js';
import type { FlagSpecs } from './command-flags.js';

/** The HTTP API options of every command that talks to an agent (Consul's names). */
export const CLIENT_FLAGS = {
  'http-addr': {
    type: 'string',
    arg: 'address',
    usage:
      'The address of the Praetor agent: host:port, http://host:port or https://host:port. Also set by PRAETOR_HTTP_ADDR or CONSUL_HTTP_ADDR. Default 127.0.0.1:8500.',
  },
  token: { type: 'string', arg: 'value', usage: 'ACL token for the request. Also set by PRAETOR_HTTP_TOKEN or CONSUL_HTTP_TOKEN.' },
  'token-file': { type: 'string', arg: 'value', usage: 'File holding the ACL token. Also set by PRAETOR_HTTP_TOKEN_FILE or CONSUL_HTTP_TOKEN_FILE.' },
  datacenter: { type: 'string', arg: 'name', usage: 'Datacenter to query. Default: the agent\'s datacenter.' },
  stale: { type: 'bool', usage: 'Allow any server to answer reads, even a stale one.' },
} as const satisfies FlagSpecs;

interface ClientFlagValues {
  'http-addr'?: string;
  token?: string;
  'token-file'?: string;
  datacenter?: string;
  stale?: boolean;
}

/** Flag first, then PRAETOR_*, then CONSUL_*; an empty variable counts as unset, as in Consul. */
function setting(flag: string | undefined, env: NodeJS.ProcessEnv, name: string): string | undefined {
  return flag ?? (env[`PRAETOR_${name}`] || undefined) ?? (env[`CONSUL_${name}`] || undefined);
}

/** The API client the global options describe. */
export function clientFromFlags(flags: ClientFlagValues, env: NodeJS.ProcessEnv): ApiClient {
  const tokenFile = setting(flags['token-file'], env, 'HTTP_TOKEN_FILE');
  const token = flags.token ?? (tokenFile ? readTokenFile(tokenFile) : setting(undefined, env, 'HTTP_TOKEN'));
  return new ApiClient({
    address: setting(flags['http-addr'], env, 'HTTP_ADDR') ?? '127.0.0.1:8500',
    token: token || undefined,
    datacenter: flags.datacenter,
    stale: flags.stale,
  });
}
