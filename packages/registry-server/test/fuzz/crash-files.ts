import fs from 'node:fs';
import path from 'node:path';

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
 * Leftovers the suite knows about and tolerates until the issue-8 item that owns them lands;
 * each is counted and reported, and goes from this list when fixed.
 * - `state/snapshot-N.json.tmp`: a kill -9 while the embedded backend writes a snapshot leaves
 *   the temporary file, and open() never removes it (one per crash, never reclaimed). The
 *   snapshot writer is being rewritten under issue 8 item 9 (streamed snapshots; item 2 for
 *   what open() does with files it cannot use). Remove this entry with that change.
 */
export const KNOWN_LEFTOVERS: readonly RegExp[] = [/^state\/snapshot-\d{20}\.json\.tmp$/];

/**
 * What a data dir must look like once the agent has started on it, whatever crash came before:
 * no temporary file left over (`*.tmp`: a snapshot, the members list or the defined-ids file
 * being written), no half-finished restore (`state.restore`, `state.old`), a whole node-id, and
 * every snapshot and JSON file complete. Returns the problems found (empty when none); tolerated
 * leftovers (KNOWN_LEFTOVERS) go to `known` instead.
 */
export function dataDirProblems(dataDir: string, known: string[] = []): string[] {
  const problems: string[] = [];
  for (const p of walk(dataDir)) {
    const rel = path.relative(dataDir, p);
    const base = path.basename(p);
    if (base.endsWith('.tmp')) {
      if (KNOWN_LEFTOVERS.some((re) => re.test(rel))) known.push(rel);
      else problems.push(`${rel}: a temporary file left behind (${fs.statSync(p).size} bytes)`);
      continue;
    }
    if (base === 'state.restore' || base === 'state.old') problems.push(`${rel}: an interrupted restore left behind after start`);
    if (base.endsWith('.json') && fs.statSync(p).isFile()) {
      try {
        JSON.parse(fs.readFileSync(p, 'utf8'));
      } catch (err) {
        problems.push(`${rel}: not complete JSON (${(err as Error).message})`);
      }
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
