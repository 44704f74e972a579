import fs from 'node:fs/promises';
import path from 'node:path';
import { syncDir } from '../../internal/durable-file.js';

/** A file of the state dir to set aside: wholly (`at` 0), or all of it kept aside and the file cut to its first `at` good bytes. */
export interface AsideFile {
  name: string;
  at: number;
}

/**
 * `-recover-data-dir`: moves damaged files of `stateDir` into `<dataDir>/damaged-<time>/`,
 * intact, so nothing is deleted. A file that is good up to some byte is copied there whole and
 * then cut back to its good part, so the state dir always holds the valid state. Returns the
 * folder.
 */
export async function setAside(dataDir: string, stateDir: string, files: readonly AsideFile[]): Promise<string> {
  const aside = path.join(dataDir, `damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await fs.mkdir(aside, { recursive: true });
  for (const f of files) {
    const from = path.join(stateDir, f.name);
    const to = path.join(aside, f.name);
    if (f.at === 0) {
      await fs.rename(from, to);
      continue;
    }
    await fs.copyFile(from, to);
    const copy = await fs.open(to, 'r+');
    await copy.sync().finally(() => copy.close());
    await cutTo(from, f.at);
  }
  await syncDir(aside);
  await syncDir(stateDir);
  await syncDir(dataDir);
  return aside;
}

/** Truncates `file` to `bytes`, durably. */
export async function cutTo(file: string, bytes: number): Promise<void> {
  const handle = await fs.open(file, 'r+');
  try {
    await handle.truncate(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
