import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface TestAgent {
  /** http://127.0.0.1:PORT */
  url: string;
  host: string;
  port: number;
  process: ChildProcess;
  /** Everything the agent printed so far. */
  output(): string;
  /** Stops the agent (SIGTERM, then SIGKILL after 5 s); safe to call twice. */
  stop(): Promise<void>;
}

export interface TestAgentOptions {
  /** Extra `praetor agent` flags; `-dev` and a free `-http-port` are added unless given. */
  args?: string[];
  /** How long to wait for the agent to answer (ms); default 15 s. */
  timeoutMs?: number;
  /**
   * Agent configuration (the JSON of a config file, e.g. `{ session_ttl_min: '1s' }`), written
   * to a temporary file passed as -config-file and removed when the agent stops.
   */
  config?: Record<string, unknown>;
}

function praetorBin(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(require.resolve('@praetor/registry-server/package.json')), 'bin', 'praetor.js');
  } catch {
    throw new Error('startTestAgent needs @praetor/registry-server: npm install --save-dev @praetor/registry-server');
  }
}

/**
 * Starts a real `praetor agent -dev` on a free loopback port, for a test suite: resolves once
 * it answers, with its URL. The caller stops it (after hooks).
 */
export function startTestAgent(opts: TestAgentOptions = {}): Promise<TestAgent> {
  const bin = praetorBin();
  const args = ['agent', ...(opts.args ?? [])];
  if (!args.some((a) => a === '-dev' || a.startsWith('-data-dir'))) args.push('-dev');
  if (!args.some((a) => a.startsWith('-http-port'))) args.push('-http-port=0');
  if (!args.some((a) => a.startsWith('-log-level'))) args.push('-log-level=warn');
  let configDir: string | undefined;
  if (opts.config) {
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'praetor-test-agent-'));
    fs.writeFileSync(path.join(configDir, 'config.json'), JSON.stringify(opts.config));
    args.push(`-config-file=${path.join(configDir, 'config.json')}`);
  }
  const removeConfig = () => configDir && fs.rmSync(configDir, { recursive: true, force: true });
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      removeConfig();
      resolve();
    }),
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`praetor agent did not start within ${opts.timeoutMs ?? 15000} ms:\n${out}`));
    }, opts.timeoutMs ?? 15000);
    const onData = () => {
      const m = /Client Addr: http:\/\/([^\s,]+):(\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({ url: `http://${m[1]}:${m[2]}`, host: m[1], port: Number(m[2]), process: child, output: () => out, stop });
    };
    child.stdout!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`praetor agent exited before it was ready:\n${out}`));
    });
  });
}
