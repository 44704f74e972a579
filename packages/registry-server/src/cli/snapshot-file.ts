import fs from 'node:fs';
import { CliError } from './command.js';
import { fsErrorText } from './fs-error.js';

/** The one FILE argument of the snapshot commands. */
export function snapshotFileArg(args: readonly string[]): string {
  if (args.length === 0) throw new CliError('Missing FILE argument');
  if (args.length > 1) throw new CliError(`Too many arguments (expected 1, got ${args.length})`);
  return args[0]!;
}

/** Reads a snapshot archive, with Go's wording for a file that cannot be opened. */
export function readSnapshotFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new CliError(`Error opening snapshot file: ${fsErrorText(err, 'open', file)}`);
  }
}
