import { spawn, type ChildProcess } from 'node:child_process';
import type { CliIo } from '../command.js';

/**
 * Runs a watch's handler command once per change, as Consul does: through `$SHELL -c` (or
 * /bin/sh) with the arguments joined by spaces, or directly with -shell=false; the data as JSON
 * on its stdin, CONSUL_INDEX in its environment, its output passed through. The handler is a
 * child of this process; signal() forwards a signal to it while it runs.
 */
export class WatchHandler {
  private child: ChildProcess | null = null;

  constructor(
    private readonly args: readonly string[],
    private readonly shell: boolean,
    private readonly io: CliIo,
  ) {}

  /** Runs the handler to its end; rejects with Consul's text when it fails or exits non-zero. */
  run(index: bigint, json: string): Promise<void> {
    const env = { ...this.io.env, CONSUL_INDEX: index.toString() };
    // The process's own stdout and stderr are handed down as they are (a terminal stays one).
    const inherit = this.io.stdout === process.stdout && this.io.stderr === process.stderr;
    const stdio = inherit ? (['pipe', 'inherit', 'inherit'] as const) : (['pipe', 'pipe', 'pipe'] as const);
    const child = this.shell
      ? spawn(this.io.env.SHELL || '/bin/sh', ['-c', this.args.join(' ')], { env, stdio: [...stdio] })
      : spawn(this.args[0]!, this.args.slice(1), { env, stdio: [...stdio] });
    this.child = child;
    child.stdout?.pipe(this.io.stdout, { end: false });
    child.stderr?.pipe(this.io.stderr, { end: false });
    // A handler that does not read its input must not make the write fail.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(json);
    return new Promise((resolve, reject) => {
      child.once('error', (err) => {
        this.child = null;
        reject(new Error(`Error executing handler: ${err.message}`));
      });
      child.once('close', (code, signal) => {
        this.child = null;
        if (code === 0) resolve();
        else reject(new Error(`Error executing handler: ${signal ? `signal: ${signal}` : `exit status ${code}`}`));
      });
    });
  }

  signal(sig: NodeJS.Signals): void {
    this.child?.kill(sig);
  }
}
