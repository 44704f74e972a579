import { command, CliError } from '../command.js';
import { unexpected, withPrefix } from '../kv-client.js';
import { ENTRY_FLAGS, namedEntry } from './config-entry-flags.js';

export const configReadCommand = command({
  name: 'config read',
  synopsis: 'Prints a config entry',
  usage: '-kind KIND -name NAME [options]',
  description: `
Prints the config entry of -kind and -name as JSON.

  $ praetor config read -kind service-defaults -name web`,
  http: true,
  flags: ENTRY_FLAGS,
  async run({ flags, io, client }) {
    const { what, path } = namedEntry(flags);
    const failed = `Error reading config entry ${what}: `;
    const res = await withPrefix(failed, () => client().request('GET', path));
    if (res.status !== 200) throw new CliError(failed + unexpected(res));
    io.stdout.write(`${JSON.stringify(JSON.parse(res.body.toString('utf8')), null, 4)}\n`);
    return 0;
  },
});
