// Helpers for this example's tests (not part of the programs).
import { spawn, type ChildProcess } from 'node:child_process';

export { within, freePort } from '@praetor/sdk';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A program this test started, with its output. */
export interface Proc {
  name: string;
  process: ChildProcess;
  exited: Promise<Exit>;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. Safe to call twice. */
  stop(graceMs?: number): Promise<Exit>;
}

/** Runs `node script args…` with its stdout and stderr collected. */
export function startNode(name: string, script: string, args: string[]): Proc {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (d: Buffer) => (out += d.toString());
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  child.on('error', (err) => (out += `spawn error: ${err.message}\n`));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const stop = async (graceMs = 10_000): Promise<Exit> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      t.unref();
      const exit = await exited;
      clearTimeout(t);
      return exit;
    }
    return exited;
  };
  return { name, process: child, exited, output: () => out, stop };
}

/** GET `url` as JSON, with a timeout. */
export async function getJson<T = unknown>(url: string, timeoutMs = 20_000): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: (await res.json()) as T };
}
