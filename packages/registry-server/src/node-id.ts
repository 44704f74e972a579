import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileDurably } from './internal/durable-file.js';

/** The node's ID, and whether it is new and still to be kept in the data dir (saveNodeID). */
export interface NodeID {
  id: string;
  fresh: boolean;
}

/** The node's ID: from config, else the one kept in the data dir, else a new one. Writes nothing. */
export async function readNodeID(configured: string | undefined, dataDir: string | undefined): Promise<NodeID> {
  if (configured) return { id: configured.toLowerCase(), fresh: false };
  if (dataDir) {
    try {
      const id = (await fs.readFile(path.join(dataDir, 'node-id'), 'utf8')).trim();
      if (id) return { id, fresh: false };
    } catch {
      // first start
    }
  }
  return { id: randomUUID(), fresh: dataDir !== undefined };
}

/** Keeps a new node ID in the data dir, durably (written aside, fsynced, renamed, the directory fsynced). */
export async function saveNodeID(dataDir: string, id: string): Promise<void> {
  await fs.mkdir(dataDir, { recursive: true });
  await writeFileDurably(path.join(dataDir, 'node-id'), id);
}
