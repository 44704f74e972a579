import fs from 'node:fs';
import { command, CliError } from '../command.js';
import { fsErrorText } from '../fs-error.js';
import { unexpected, withPrefix } from '../kv-client.js';
import { snapshotFileArg, verifySnapshot } from '../snapshot-file.js';

export const snapshotSaveCommand = command({
  name: 'snapshot save',
  synopsis: 'Saves a snapshot of the whole state to a file',
  usage: '[options] FILE',
  description: `
Saves an atomic, point-in-time snapshot of the registry's state (catalog, KV store, indexes)
to FILE. The archive is written to a temporary file and checked before it takes FILE's name.

  $ praetor snapshot save backup.snap`,
  http: true,
  flags: {},
  async run({ args, io, client }) {
    const file = snapshotFileArg(args);
    const res = await withPrefix('Error saving snapshot: ', () => client().request('GET', '/v1/snapshot'));
    if (res.status !== 200) throw new CliError(`Error saving snapshot: ${unexpected(res)}`);
    const tmp = `${file}.unverified.tmp${process.pid}`;
    try {
      fs.writeFileSync(tmp, res.body, { mode: 0o600 });
    } catch (err) {
      throw new CliError(`Error writing unverified snapshot file: ${fsErrorText(err, 'open', tmp)}`);
    }
    let index: number;
    try {
      index = (await verifySnapshot(res.body, 'Error verifying snapshot file: ')).meta.Index;
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    try {
      fs.renameSync(tmp, file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw new CliError(`Error renaming snapshot file: ${fsErrorText(err, 'rename', file)}`);
    }
    io.stdout.write(`Saved and verified snapshot to index ${index}\n`);
    return 0;
  },
});
