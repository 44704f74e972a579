import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** The node's ID: from config, else the one kept in the data dir, else a new one (kept there). */
export async function resolveNodeID(configured: string | undefined, dataDir: string | undefined): Promise<string> {
  if (configured) return configured.toLowerCase();
  if (!dataDir) return randomUUID();
  const file = path.join(dataDir, 'node-id');
  try {
    const id = (await fs.readFile(file, 'utf8')).trim();
    if (id) return id;
  } catch {
    // first start
  }
  const id = randomUUID();
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, id);
  return id;
}
