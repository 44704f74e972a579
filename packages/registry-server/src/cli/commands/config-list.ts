import { command, CliError } from '../command.js';
import { unexpected, withPrefix } from '../kv-client.js';

export const configListCommand = command({
  name: 'config list',
  synopsis: 'Lists the config entries of a kind',
  usage: '-kind KIND [options]',
  description: `
Prints the names of the config entries of -kind, one per line.

  $ praetor config list -kind service-defaults`,
  http: true,
  flags: {
    kind: { type: 'string', usage: 'The kind of config entries to list.' },
  },
  async run({ flags, io, client }) {
    if (!flags.kind) throw new CliError('Must specify the -kind parameter');
    const failed = `Error listing config entries for kind "${flags.kind}": `;
    const res = await withPrefix(failed, () => client().request('GET', `/v1/config/${encodeURIComponent(flags.kind!)}`));
    if (res.status !== 200) throw new CliError(failed + unexpected(res));
    for (const e of JSON.parse(res.body.toString('utf8')) as Array<{ Name: string }>) io.stdout.write(`${e.Name}\n`);
    return 0;
  },
});
