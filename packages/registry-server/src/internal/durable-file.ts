import fs from 'node:fs/promises';
import path from 'node:path';

/** fsyncs a directory, making the names created, renamed or removed in it durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  await handle.sync().finally(() => handle.close());
}

/**
 * Replaces `file` with `text` so that a crash leaves either the old or the new content, never
 * a torn file: written to `<file>.tmp`, fsynced, renamed over `file`, then the directory
 * fsynced so the rename itself survives a power loss.
 */
export async function writeFileDurably(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const fh = await fs.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, file);
  await syncDir(path.dirname(file));
}

/**
 * Removes the `*.tmp` files a crash left in `dir` in the middle of a writeFileDurably: each is
 * an unfinished copy whose file still holds the content it had before. Returns their names.
 */
export async function removeTempFiles(dir: string): Promise<string[]> {
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.tmp'));
  for (const n of names) await fs.rm(path.join(dir, n), { force: true });
  return names;
}
