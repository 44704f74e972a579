// Every child process the bench starts is tracked here and stopped at the end, on error,
// on SIGINT/SIGTERM, and (last resort, synchronously) when the bench process exits.
import { spawn } from 'node:child_process';
import { sleep } from './log.js';

const live = new Set();
const LOG_LINES = 60;

/** Spawns a child; keeps the last lines of its output for error reports. */
export function startProcess(name, cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  const lines = [];
  const keep = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > LOG_LINES) lines.shift();
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exitInfo = null;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      live.delete(proc);
      resolve(exitInfo);
    });
    child.once('error', (err) => {
      exitInfo = { code: null, signal: null, error: err.message };
      live.delete(proc);
      resolve(exitInfo);
    });
  });
  const proc = {
    name,
    child,
    exited,
    get exitInfo() { return exitInfo; },
    logTail: (n = 20) => lines.slice(-n).join('\n'),
    /** SIGTERM, then SIGKILL after graceMs; resolves once the child is gone. Safe to call twice. */
    async stop(graceMs = 5000) {
      if (exitInfo) return exitInfo;
      child.kill('SIGTERM');
      const done = await Promise.race([exited, sleep(graceMs).then(() => null)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
      return exitInfo;
    },
  };
  live.add(proc);
  return proc;
}

export async function stopAll() {
  await Promise.all([...live].map((p) => p.stop()));
}

/** Installs handlers so no child outlives the bench; `cleanup` runs once on a signal. */
export function installExitHandlers(cleanup) {
  let signalled = false;
  const onSignal = (sig, code) => {
    if (signalled) {
      killAllNow();
      process.exit(code);
    }
    signalled = true;
    process.stderr.write(`\n[bench] caught ${sig}; stopping every process the bench started…\n`);
    Promise.resolve()
      .then(cleanup)
      .catch(() => {})
      .finally(() => process.exit(code));
  };
  process.on('SIGINT', () => onSignal('SIGINT', 130));
  process.on('SIGTERM', () => onSignal('SIGTERM', 143));
  process.on('exit', killAllNow);
}

function killAllNow() {
  for (const p of live) {
    try { p.child.kill('SIGKILL'); } catch { /* already gone */ }
  }
}
