import { command, CliError } from '../command.js';
import { goJson, parseJson } from '../go-json.js';
import { kvRead, type KvEntryJson } from '../kv-client.js';

export const kvExportCommand = command({
  name: 'kv export',
  synopsis: 'Exports the entries under a prefix as JSON',
  usage: '[options] [PREFIX]',
  description: `
Prints every entry under PREFIX (everything without one) as a JSON array of
{"key", "flags", "value"} objects, the value base64-encoded. "praetor kv import" (or Consul's)
reads it back.

  $ praetor kv export vault/ > vault.json`,
  http: true,
  flags: {},
  async run({ args, io, client }) {
    if (args.length > 1) throw new CliError(`Too many arguments (expected 1, got ${args.length})`);
    const prefix = (args[0] ?? '').replace(/^\//, '');
    const res = await kvRead(client(), prefix, { recurse: true });
    const entries = res ? (parseJson(res.body.toString('utf8')) as KvEntryJson[]) : [];
    const out = entries.map((e) => ({ key: e.Key, flags: e.Flags, value: e.Value ?? '' }));
    io.stdout.write(`${goJson(out, '\t')}\n`);
    return 0;
  },
});
