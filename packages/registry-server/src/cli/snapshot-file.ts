import fs from 'node:fs';
import os from 'node:os';
import { Readable } from 'node:stream';
import { readSnapshotArchive, type DecodedSnapshot } from '../backend/snapshot-archive-read.js';
import { PraetorError } from '../errors.js';
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

/** Opens a snapshot archive for streaming, with Go's wording for a file that cannot be opened. */
export function openSnapshotFile(file: string): Readable {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new CliError(`Error opening snapshot file: ${fsErrorText(err, 'open', file)}`);
  }
  return fs.createReadStream(file, { fd, highWaterMark: 256 * 1024 });
}

/**
 * Checks a whole archive (from a file stream or a buffer) as the agent would before a restore:
 * gzip, tar, checksums, format and every row. A problem is a CliError starting with `prefix`.
 */
export async function verifySnapshot(source: Readable | Buffer, prefix: string): Promise<DecodedSnapshot> {
  const stream = Buffer.isBuffer(source) ? Readable.from([source]) : source;
  try {
    return await readSnapshotArchive(stream, { maxBytes: Number.MAX_SAFE_INTEGER, tmpDir: os.tmpdir() });
  } catch (err) {
    if (err instanceof PraetorError) throw new CliError(`${prefix}${err.message}`);
    throw err;
  } finally {
    stream.destroy();
  }
}
