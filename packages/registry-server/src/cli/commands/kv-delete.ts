import { command, CliError } from '../command.js';
import { kvPath, unexpected, withPrefix } from '../kv-client.js';

export const kvDeleteCommand = command({
  name: 'kv delete',
  synopsis: 'Deletes a key, or every key under a prefix',
  usage: '[options] KEY_OR_PREFIX',
  description: `
Deletes the entry at KEY; deleting a key that does not exist succeeds. With -recurse, deletes
every entry whose key starts with the prefix. With -cas, deletes only if the key's ModifyIndex
is still -modify-index.

  $ praetor kv delete redis/config/connections
  $ praetor kv delete -recurse redis/`,
  http: true,
  flags: {
    cas: { type: 'bool', usage: 'Check-and-set: delete only if the key\'s ModifyIndex equals -modify-index.' },
    'modify-index': { type: 'uint', usage: 'The ModifyIndex the key must have, with -cas.' },
    recurse: { type: 'bool', usage: 'Delete every key that starts with the given prefix.' },
  },
  async run({ flags, args, io, client }) {
    if (args.length > 1) throw new CliError(`Too many arguments (expected 1, got ${args.length})`);
    if (args.length === 0 && !flags.recurse) throw new CliError('Error! Missing KEY argument');
    const key = (args[0] ?? '').replace(/^\//, '');
    const modifyIndex = flags['modify-index'] ?? 0;
    if (flags.cas && modifyIndex === 0) throw new CliError('Must specify -modify-index with -cas!');
    if (modifyIndex !== 0 && !flags.cas) throw new CliError('Cannot specify -modify-index without -cas!');
    if (flags.cas && flags.recurse) throw new CliError('Cannot specify both -cas and -recurse!');

    const api = client();
    if (flags.recurse) {
      const failed = `Error! Did not delete prefix ${key}: `;
      const res = await withPrefix(failed, () => api.request('DELETE', kvPath(key), { query: { recurse: true } }));
      if (res.status !== 200) throw new CliError(failed + unexpected(res));
      io.stdout.write(`Success! Deleted keys with prefix: ${key}\n`);
      return 0;
    }
    const failed = `Error deleting key ${key}: `;
    const res = await withPrefix(failed, () => api.request('DELETE', kvPath(key), { query: { cas: flags.cas ? modifyIndex : undefined } }));
    if (res.status !== 200) throw new CliError(failed + unexpected(res));
    if (flags.cas && res.body.toString('utf8').trim() !== 'true') throw new CliError(`Error! Did not delete key ${key}: CAS failed`);
    io.stdout.write(`Success! Deleted key: ${key}\n`);
    return 0;
  },
});
