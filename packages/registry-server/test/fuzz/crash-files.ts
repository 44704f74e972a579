import fs from 'node:fs';
import path from 'node:path';
import { loadSnapshotFile } from '../../src/backend/embedded/snapshot-file.js';
import { StateStore } from '../../src/state/state-store.js';

const SNAPSHOT = /^snapshot-\d{20}\.json$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    out.push(p);
    if (e.isDirectory()) walk(p, out);
  }
  return out;
}

/**
 * What a data dir must look like once the agent has started on it, whatever crash came before:
 * no temporary file left over (`*.tmp`: a snapshot, the members list, the owned checks or the
 * node ID being written), no half-finished restore (`state.restore`, `state.old`), a whole
 * node-id, every snapshot loadable and every other JSON file complete. Returns the problems
 * found (empty when none).
 */
export async function dataDirProblems(dataDir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const p of walk(dataDir)) {
    const rel = path.relative(dataDir, p);
    const base = path.basename(p);
    if (base.endsWith('.tmp')) {
      problems.push(`${rel}: a temporary file left behind (${fs.statSync(p).size} bytes)`);
      continue;
    }
    if (base === 'state.restore' || base === 'state.old') problems.push(`${rel}: an interrupted restore left behind after start`);
    if (!base.endsWith('.json') || !fs.statSync(p).isFile()) continue;
    try {
      if (SNAPSHOT.test(base)) await loadSnapshotFile(p, new StateStore());
      else JSON.parse(fs.readFileSync(p, 'utf8'));
    } catch (err) {
      problems.push(`${rel}: not complete (${(err as Error).message})`);
    }
  }
  const nodeId = path.join(dataDir, 'node-id');
  if (fs.existsSync(nodeId) && !UUID.test(fs.readFileSync(nodeId, 'utf8').trim())) problems.push(`node-id: not a whole UUID: ${JSON.stringify(fs.readFileSync(nodeId, 'utf8'))}`);
  return problems;
}

/** `ls -la`-like listing of a data dir, for failure messages. */
export function listing(dataDir: string): string {
  return walk(dataDir)
    .map((p) => `${path.relative(dataDir, p)} ${fs.statSync(p).isDirectory() ? '/' : fs.statSync(p).size}`)
    .join('\n');
}

/**
 * Calls `onHit` (once) as soon as a file named like `pattern` appears in the data dir or its
 * `state/` (inotify, so the kill lands while that file is being written). Returns a stop function.
 */
export function whenFileAppears(dataDir: string, pattern: RegExp, onHit: (name: string) => void): () => void {
  let done = false;
  const watchers: fs.FSWatcher[] = [];
  const stop = () => {
    done = true;
    for (const w of watchers) w.close();
  };
  for (const d of [dataDir, path.join(dataDir, 'state')]) {
    try {
      watchers.push(
        fs.watch(d, (_event, name) => {
          if (done || !name || !pattern.test(String(name))) return;
          stop();
          onHit(String(name));
        }),
      );
    } catch {
      // state/ may not exist yet (first start) or be mid-rename: the data dir watch still sees state.restore
    }
  }
  return stop;
}
