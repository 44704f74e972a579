import { command, CliError } from '../command.js';
import { unexpected, withPrefix } from '../kv-client.js';
import { readSnapshotFile, snapshotFileArg } from '../snapshot-file.js';

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
    const file = snapshotFileArg(args);
    const archive = readSnapshotFile(file);
    const res = await withPrefix('Error restoring snapshot: ', () => client().request('PUT', '/v1/snapshot', { body: archive }));
    if (res.status !== 200) throw new CliError(`Error restoring snapshot: ${unexpected(res)}`);
    io.stdout.write('Restored snapshot\n');
    return 0;
  },
});
