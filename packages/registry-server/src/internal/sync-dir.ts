import fs from 'node:fs/promises';

/** fsyncs a directory, making the names created, renamed or removed in it durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  await handle.sync().finally(() => handle.close());
}
