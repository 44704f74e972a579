import { command, CliError } from '../command.js';
import { readValueArg, unexpected, withPrefix } from '../kv-client.js';

export const configWriteCommand = command({
  name: 'config write',
  synopsis: 'Creates or updates a config entry',
  usage: '[options] FILE',
  description: `
Writes the config entry in FILE (- for standard input): JSON with its Kind and Name, as
"praetor config read" prints it. Praetor keeps service-defaults, proxy-defaults, ingress-gateway
and terminating-gateway entries as data. HCL is not read; convert it to JSON first.

  $ praetor config write web-defaults.json
  $ praetor config write -cas -modify-index=42 web-defaults.json`,
  http: true,
  flags: {
    cas: { type: 'bool', usage: "Check-and-set: write only if the entry's ModifyIndex equals -modify-index (0: only if it does not exist)." },
    'modify-index': { type: 'uint', usage: 'The ModifyIndex the entry must have, with -cas.' },
  },
  async run({ flags, args, io, client }) {
    if (args.length !== 1) throw new CliError('Must provide exactly one positional argument to specify the config entry to write');
    const text = (await readValueArg(args[0] === '-' ? '-' : `@${args[0]}`, io.stdin)).toString('utf8');
    let entry: { Kind?: unknown; Name?: unknown };
    try {
      entry = JSON.parse(text) as typeof entry;
    } catch (err) {
      throw new CliError(`Failed to decode config entry input: ${(err as Error).message} (Praetor reads JSON config entries, not HCL)`);
    }
    const field = (name: string) => Object.entries(entry ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
    const what = `${String(field('kind') ?? '')}/${String(field('name') ?? '')}`;
    const failed = `Error writing config entry ${what}: `;
    const query = { cas: flags.cas ? (flags['modify-index'] ?? 0) : undefined };
    const res = await withPrefix(failed, () => client().request('PUT', '/v1/config', { query, body: text }));
    if (res.status !== 200) throw new CliError(failed + unexpected(res));
    if (res.body.toString('utf8').trim() !== 'true') throw new CliError(`Config entry not updated: ${what}`);
    io.stdout.write(`Config entry written: ${what}\n`);
    return 0;
  },
});
