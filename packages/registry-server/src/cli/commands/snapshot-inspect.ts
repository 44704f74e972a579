import { command } from '../command.js';
import { openSnapshotFile, snapshotFileArg, verifySnapshot } from '../snapshot-file.js';

/** Rows as Consul's tables print them: names padded to the longest plus six spaces. */
function table(rows: ReadonlyArray<readonly [string, string | number]>): string {
  const width = Math.max(...rows.map(([k]) => k.length)) + 6;
  return rows.map(([k, v]) => `${k.padEnd(width)}${v}\n`).join('');
}

export const snapshotInspectCommand = command({
  name: 'snapshot inspect',
  synopsis: 'Shows what a snapshot file holds',
  usage: '[options] FILE',
  description: `
Checks the snapshot in FILE (checksums, format, content) and prints its metadata and how many
rows each table holds. Reads the file only; no agent is needed.

  $ praetor snapshot inspect backup.snap`,
  flags: {},
  async run({ args, io }) {
    const file = snapshotFileArg(args);
    const { meta, tables } = await verifySnapshot(openSnapshotFile(file), 'Error verifying snapshot: ');
    const counts = Object.entries(tables).sort(([a], [b]) => (a < b ? -1 : 1));
    io.stdout.write(
      table([
        ['ID', meta.ID],
        ['Size', meta.Size],
        ['Index', meta.Index],
        ['Term', meta.Term],
        ['Version', meta.Version],
      ]) +
        '\n' +
        table([['Table', 'Rows'], ...counts]),
    );
    return 0;
  },
});
