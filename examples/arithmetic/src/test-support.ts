// Helpers for this example's tests (not part of the programs).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** Polls `pred` until it returns something truthy (errors count as not yet), at most `ms`. */
export async function within<T>(ms: number, pred: () => T | Promise<T>, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    let v: T | undefined;
    try {
      v = await pred();
    } catch (err) {
      last = err;
      v = undefined;
    }
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${ms} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 25).unref());
  }
}

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

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
