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
 * What a data dir must look like once the agent has started on it, whatever crash came before:
 * no temporary file left over (`*.tmp`: a snapshot, the members list or the defined-ids file
 * being written), no half-finished restore (`state.restore`, `state.old`), a whole node-id, and
 * every snapshot and JSON file complete. Returns the problems found (empty when none).
 */
export function dataDirProblems(dataDir: string): string[] {
  const problems: string[] = [];
  for (const p of walk(dataDir)) {
    const rel = path.relative(dataDir, p);
    const base = path.basename(p);
    if (base.endsWith('.tmp')) problems.push(`${rel}: a temporary file left behind (${fs.statSync(p).size} bytes)`);
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
