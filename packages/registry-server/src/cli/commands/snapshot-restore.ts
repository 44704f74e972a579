import fs from 'node:fs';
import { command, CliError } from '../command.js';
import { fsErrorText } from '../fs-error.js';
import { unexpected, withPrefix } from '../kv-client.js';

export const snapshotRestoreCommand = command({
  name: 'snapshot restore',
  synopsis: 'Restores the whole state from a snapshot file',
  usage: '[options] FILE',
  description: `
Replaces the registry's whole state (catalog, KV store, indexes) with the snapshot in FILE, as
"praetor snapshot save" wrote it. This is for disaster recovery: everything written since the
snapshot is lost. A corrupt or foreign file is refused and nothing changes.

  $ praetor snapshot restore backup.snap`,
  http: true,
  flags: {},
  async run({ args, io, client }) {
    if (args.length === 0) throw new CliError('Missing FILE argument');
    if (args.length > 1) throw new CliError(`Too many arguments (expected 1, got ${args.length})`);
    const file = args[0]!;
    let archive: Buffer;
    try {
      archive = fs.readFileSync(file);
    } catch (err) {
      throw new CliError(`Error opening snapshot file: ${fsErrorText(err, 'open', file)}`);
    }
    const res = await withPrefix('Error restoring snapshot: ', () => client().request('PUT', '/v1/snapshot', { body: archive }));
    if (res.status !== 200) throw new CliError(`Error restoring snapshot: ${unexpected(res)}`);
    io.stdout.write('Restored snapshot\n');
    return 0;
  },
});
