import { command, CliError } from '../command.js';
import { unexpected, withPrefix } from '../kv-client.js';

export const configReadCommand = command({
  name: 'config read',
  synopsis: 'Prints a config entry',
  usage: '-kind KIND -name NAME [options]',
  description: `
Prints the config entry of -kind and -name as JSON.

  $ praetor config read -kind service-defaults -name web`,
  http: true,
  flags: {
    kind: { type: 'string', usage: 'The kind of the config entry.' },
    name: { type: 'string', usage: 'The name of the config entry.' },
  },
  async run({ flags, io, client }) {
    if (!flags.kind) throw new CliError('Must specify the -kind parameter');
    if (!flags.name) throw new CliError('Must specify the -name parameter');
    const what = `${flags.kind}/${flags.name}`;
    const failed = `Error reading config entry ${what}: `;
    const path = `/v1/config/${encodeURIComponent(flags.kind)}/${encodeURIComponent(flags.name)}`;
    const res = await withPrefix(failed, () => client().request('GET', path));
    if (res.status !== 200) throw new CliError(failed + unexpected(res));
    io.stdout.write(`${JSON.stringify(JSON.parse(res.body.toString('utf8')), null, 4)}\n`);
    return 0;
  },
});
