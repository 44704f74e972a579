import { command, CliError } from '../command.js';
import { unexpected, withPrefix } from '../kv-client.js';
import { ENTRY_FLAGS, namedEntry } from './config-entry-flags.js';

export const configDeleteCommand = command({
  name: 'config delete',
  synopsis: 'Deletes a config entry',
  usage: '-kind KIND -name NAME [options]',
  description: `
Deletes the config entry of -kind and -name; deleting one that does not exist succeeds.

  $ praetor config delete -kind service-defaults -name web`,
  http: true,
  flags: ENTRY_FLAGS,
  async run({ flags, io, client }) {
    const { what, path } = namedEntry(flags);
    const failed = `Error deleting config entry ${what}: `;
    const res = await withPrefix(failed, () => client().request('DELETE', path));
    if (res.status !== 200) throw new CliError(failed + unexpected(res));
    io.stdout.write(`Config entry deleted: ${what}\n`);
    return 0;
  },
});
