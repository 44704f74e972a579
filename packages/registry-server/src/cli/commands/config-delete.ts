import { command, CliError } from '../command.js';
import { unexpected, withPrefix } from '../kv-client.js';

export const configDeleteCommand = command({
  name: 'config delete',
  synopsis: 'Deletes a config entry',
  usage: '-kind KIND -name NAME [options]',
  description: `
Deletes the config entry of -kind and -name; deleting one that does not exist succeeds.

  $ praetor config delete -kind service-defaults -name web`,
  http: true,
  flags: {
    kind: { type: 'string', usage: 'The kind of the config entry.' },
    name: { type: 'string', usage: 'The name of the config entry.' },
  },
  async run({ flags, io, client }) {
    if (!flags.kind) throw new CliError('Must specify the -kind parameter');
    if (!flags.name) throw new CliError('Must specify the -name parameter');
    const what = `${flags.kind}/${flags.name}`;
    const failed = `Error deleting config entry ${what}: `;
    const path = `/v1/config/${encodeURIComponent(flags.kind)}/${encodeURIComponent(flags.name)}`;
    const res = await withPrefix(failed, () => client().request('DELETE', path));
    if (res.status !== 200) throw new CliError(failed + unexpected(res));
    io.stdout.write(`Config entry deleted: ${what}\n`);
    return 0;
  },
});
