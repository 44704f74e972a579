import { CliError } from '../command.js';

/** The flags that name one config entry (`config read`, `config delete`). */
export const ENTRY_FLAGS = {
  kind: { type: 'string', usage: 'The kind of the config entry.' },
  name: { type: 'string', usage: 'The name of the config entry.' },
} as const;

/** The entry named by -kind and -name (both required, as Consul's CLI says): `kind/name` and its API path. */
export function namedEntry(flags: { kind?: string; name?: string }): { what: string; path: string } {
  if (!flags.kind) throw new CliError('Must specify the -kind parameter');
  if (!flags.name) throw new CliError('Must specify the -name parameter');
  return { what: `${flags.kind}/${flags.name}`, path: `/v1/config/${encodeURIComponent(flags.kind)}/${encodeURIComponent(flags.name)}` };
}
