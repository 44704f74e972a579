import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { within as pollWithin } from '@praetor/test-support';

const here = path.dirname(fileURLToPath(import.meta.url));
/** bin/praetor.js, from dist/test/integration/. */
export const PRAETOR_BIN = path.resolve(here, '../../../bin/praetor.js');

export interface AgentProcess {
  proc: ChildProcess;
  /** http://127.0.0.1:PORT */
  url: string;
  host: string;
  port: number;
  output(): string;
  /** Resolves when the process exits (by itself or stopped), with the exit code or signal. */
  exited: Promise<number | string>;
  /** Sends a signal and waits for the exit; resolves with the exit code or signal. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts `praetor agent` as a real process on a free loopback port (-http-port 0 unless the
 * args name a port) and waits until it prints its address. The caller stops it.
 */
export function startAgent(args: string[] = ['-dev'], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<AgentProcess> {
  const full = ['agent', ...args];
  if (!args.some((a) => a.startsWith('-http-port') || a.startsWith('-config'))) full.push('-http-port=0');
  // DNS on a free port too, so agents started side by side never compete for 8600.
  if (!args.some((a) => a.startsWith('-dns-port') || a.startsWith('-config') || a === '-dev=false')) full.push('-dns-port=0');
  if (!args.some((a) => a.startsWith('-node'))) full.push(`-node=test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const proc = spawn(process.execPath, [PRAETOR_BIN, ...full], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`agent did not start within ${opts.timeoutMs ?? 15000}ms:\n${out}`));
    }, opts.timeoutMs ?? 15000);
    const onData = () => {
      const m = /Client Addr: http:\/\/([^\s,]+):(\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      proc.stdout!.off('data', onData);
      const host = m[1];
      const port = Number(m[2]);
      resolve({
        proc,
        host,
        port,
        url: `http://${host}:${port}`,
        output: () => out,
        exited,
        stop: (signal = 'SIGTERM') => {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
          return exited;
        },
      });
    };
    proc.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`agent exited (${code}) before it was ready:\n${out}`));
    });
  });
}

export interface RunOptions {
  timeoutMs?: number;
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Written to the command's stdin (closed after). */
  input?: string | Buffer;
  cwd?: string;
}

/** Runs `praetor ARGS` to completion; resolves with the exit code and output. */
export function runPraetor(args: string[], options: number | RunOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const opts = typeof options === 'number' ? { timeoutMs: options } : options;
  const timeoutMs = opts.timeoutMs ?? 15000;
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [PRAETOR_BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env }, cwd: opts.cwd });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    proc.stdin.on('error', () => undefined);
    proc.stdin.end(opts.input);
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`praetor ${args.join(' ')} did not finish in ${timeoutMs}ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export { freePort } from '@praetor/test-support';

/** A fresh temporary directory; remove it with fs.rmSync(dir, {recursive: true}). */
export function tempDir(prefix = 'praetor-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Polls `predicate` until it holds or `ms` pass (bounded); never a bare sleep. @praetor/test-support's, with this suite's third argument. */
export function within<T>(ms: number, predicate: () => T | Promise<T>, stepMs = 25): Promise<T> {
  return pollWithin(ms, predicate, 'the condition', stepMs);
}

/** fetch with a body and method; returns status, headers and text. */
export async function http(url: string, init: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const res = await fetch(url, { method: init.method ?? 'GET', body: init.body as BodyInit | undefined, headers: init.headers, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}
