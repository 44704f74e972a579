import { spawn } from 'node:child_process';
import type { Logger } from 'winston';
import { formatDuration } from '../../internal/duration.js';
import type { CheckDefinition, CheckStatus } from '../../structs/check.js';
import type { CheckRunner, Report } from './check-runner.js';
import { IntervalRunner, intervalSettings, outputMaxSize, timedOut, type Probe } from './interval-runner.js';

/** Consul's timeout for script checks when the definition has none (still capped by the interval). */
export const SCRIPT_DEFAULT_TIMEOUT_MS = 30_000;
/** How long to wait for stdout/stderr to close once the process exited (a grandchild may hold them). */
const DRAIN_MS = 1000;

/**
 * A script check probe, as Consul's CheckMonitor: runs ScriptArgs[0] with the other arguments
 * (no shell) in its own process group, with the agent's environment. Exit 0 is passing, 1
 * warning, anything else (or failing to start) critical; the output is stdout and stderr
 * interleaved, and if longer than OutputMaxSize its tail, after "Captured <n> of <total>
 * bytes\n...\n". When the signal aborts (timeout or stop()), the whole process group gets SIGKILL
 * at once; a timeout is critical with "Timed out (<timeout>) running check", then "\n\n" and the
 * output so far if any.
 */
export function scriptProbe(def: CheckDefinition): Probe {
  const [command, ...args] = def.ScriptArgs ?? [];
  const limit = outputMaxSize(def);
  return (signal, timeoutMs) =>
    new Promise((resolve) => {
      if (!command) {
        resolve({ status: 'critical', output: 'script check has no ScriptArgs' });
        return;
      }
      const output = new TailBuffer(limit);
      const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      const killGroup = () => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      if (signal.aborted) killGroup();
      else signal.addEventListener('abort', killGroup, { once: true });
      child.stdout.on('data', (chunk: Buffer) => output.write(chunk));
      child.stderr.on('data', (chunk: Buffer) => output.write(chunk));
      let drain: NodeJS.Timeout | undefined;
      child.once('exit', () => {
        drain = setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, DRAIN_MS);
        drain.unref();
      });
      const finish = (status: CheckStatus, text: string) => {
        clearTimeout(drain);
        signal.removeEventListener('abort', killGroup);
        resolve({ status, output: text });
      };
      child.once('error', (err) => {
        if (child.pid === undefined) finish('critical', err.message); // never started
      });
      child.once('close', (code) => {
        const text = output.text();
        if (timedOut(signal)) {
          const msg = `Timed out (${formatDuration(timeoutMs)}) running check`;
          finish('critical', text ? `${msg}\n\n${text}` : msg);
        } else {
          finish(code === 0 ? 'passing' : code === 1 ? 'warning' : 'critical', text);
        }
      });
    });
}

/** An interval runner around scriptProbe, with Consul's 30s default timeout for scripts. */
export function createScriptRunner(def: CheckDefinition, report: Report, logger: Logger): CheckRunner {
  const log = logger.child({ component: 'check-script', command: def.ScriptArgs?.[0] });
  return new IntervalRunner(scriptProbe(def), intervalSettings(def, SCRIPT_DEFAULT_TIMEOUT_MS), report, log);
}

/** Keeps the last `size` bytes written, like Consul's circbuf, and counts them all. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private kept = 0;
  private total = 0;

  constructor(private readonly size: number) {}

  write(chunk: Buffer): void {
    this.total += chunk.length;
    this.chunks.push(chunk);
    this.kept += chunk.length;
    while (this.chunks.length > 1 && this.kept - this.chunks[0].length >= this.size) {
      this.kept -= this.chunks.shift()!.length;
    }
  }

  /** The output, fitting in `size` bytes even with the "Captured" header. */
  text(): string {
    const all = Buffer.concat(this.chunks);
    if (this.total <= this.size) return all.toString('utf8');
    const header = (n: number) => `Captured ${n} of ${this.total} bytes\n...\n`;
    const room = Math.max(0, this.size - Buffer.byteLength(header(this.size)));
    let start = all.length - room;
    while (start < all.length && (all[start] & 0xc0) === 0x80) start++;
    const tail = all.subarray(start);
    return header(tail.length) + tail.toString('utf8');
  }
}
