import { spawn, type ChildProcess } from 'node:child_process';
import { parseDuration } from '../../internal/duration.js';
import { command } from '../command.js';
import { UsageError } from '../command-flags.js';
import { LockHolder } from '../lock-holder.js';
import type { Holder, HolderOptions } from '../lock-session.js';
import { SemaphoreHolder } from '../semaphore-holder.js';

/** After SIGTERM, a child gets this long before SIGKILL (as Consul's lock). */
const KILL_GRACE_MS = 5000;

function duration(flag: string, text: string): number {
  try {
    const ms = parseDuration(text);
    if (ms < 0) throw new Error('must not be negative');
    return ms;
  } catch (err) {
    throw new UsageError(`invalid value ${JSON.stringify(text)} for flag -${flag}: ${(err as Error).message}`);
  }
}

/** Resolves with the child's exit code (or 1 when a signal ended it). */
function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code ?? 1));
    child.once('error', () => resolve(127));
  });
}

function terminate(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS).unref();
}

export const lockCommand = command({
  name: 'lock',
  synopsis: 'Runs a command while holding a lock in the KV store',
  usage: '[options] prefix child...',
  description: `Acquires a lock at PREFIX/.lock in the KV store (a session with a TTL, renewed while
held; with -n above 1, a slot of a semaphore under PREFIX/) and runs the child command only while the lock is held, with CONSUL_LOCK_HELD=true in its
environment. If the lock is lost the child gets SIGTERM (then SIGKILL after 5s); when the child
exits, or on SIGINT/SIGTERM, the lock is released. Locks interoperate with \`consul lock\`.`,
  http: true,
  flags: {
    'child-exit-code': { type: 'bool', usage: 'Exit 2 if the child exited with an error (otherwise the child\'s failure is not propagated).' },
    'monitor-retry': { type: 'uint', default: 3, usage: 'Server errors tolerated in a row (1s apart) while watching a held lock before it counts as lost.' },
    n: { type: 'uint', default: 1, usage: 'Number of holders allowed at once. 1 is a lock; more use a semaphore. Every user of a prefix must agree on it.' },
    name: { type: 'string', usage: 'Name of the session. Default: made from the child command.' },
    'pass-stdin': { type: 'bool', usage: 'Pass stdin to the child process.' },
    shell: { type: 'bool', default: true, usage: 'Run the child through $SHELL (default /bin/sh) -c. -shell=false runs it directly.' },
    timeout: { type: 'string', arg: 'duration', default: '0s', usage: 'Give up acquiring after this long (0 = wait forever).' },
    verbose: { type: 'bool', usage: 'Say what the lock is doing.' },
    'session-ttl': { type: 'string', arg: 'duration', default: '15s', usage: 'Praetor only: TTL of the lock session (Consul\'s lock uses 15s).' },
    'lock-delay': { type: 'string', arg: 'duration', usage: 'Praetor only: lock-delay of the lock session (default: the server\'s, 15s).' },
  },
  async run({ flags, args, io, client }) {
    if (args.length < 2) throw new UsageError('Key prefix and child command must be specified');
    if (flags.n < 1) throw new UsageError('-n must be at least 1');
    const timeoutMs = duration('timeout', flags.timeout);
    duration('session-ttl', flags['session-ttl']);
    if (flags['lock-delay'] !== undefined) duration('lock-delay', flags['lock-delay']);
    const [prefix, ...child] = args as [string, ...string[]];
    const verbose = (m: string) => flags.verbose && io.stderr.write(`${m}\n`);

    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const timer = timeoutMs > 0 ? setTimeout(() => stop.abort(), timeoutMs) : null;
    const options: HolderOptions = {
      sessionName: flags.name ?? `Praetor lock for ${JSON.stringify(child.join(' '))} at ${JSON.stringify(prefix)}`,
      sessionTtl: flags['session-ttl'],
      lockDelay: flags['lock-delay'],
      monitorRetries: flags['monitor-retry'],
      warn: (m) => io.stderr.write(`${m}\n`),
    };
    // One holder is a lock on PREFIX/.lock; more are a semaphore over PREFIX/ (as Consul's lock).
    const holder: Holder =
      flags.n === 1
        ? new LockHolder(client(), { ...options, key: `${prefix.replace(/^\/+|\/+$/g, '')}/.lock` })
        : new SemaphoreHolder(client(), { ...options, prefix, limit: flags.n });
    try {
      verbose(`Attempting ${flags.n === 1 ? 'lock' : `semaphore (-n=${flags.n})`} acquisition under ${prefix}`);
      const held = await holder.acquire(stop.signal);
      if (timer) clearTimeout(timer);
      if (!held) {
        io.stderr.write('Shutdown triggered or timeout during lock acquisition\n');
        return 1;
      }
      verbose('Lock acquired; starting the child');
      const shell = io.env.SHELL || '/bin/sh';
      const proc = flags.shell
        ? spawn(shell, ['-c', child.join(' ')], { stdio: [flags['pass-stdin'] ? 'inherit' : 'ignore', 'inherit', 'inherit'], env: { ...io.env, CONSUL_LOCK_HELD: 'true' } })
        : spawn(child[0]!, child.slice(1), { stdio: [flags['pass-stdin'] ? 'inherit' : 'ignore', 'inherit', 'inherit'], env: { ...io.env, CONSUL_LOCK_HELD: 'true' } });
      const done = exited(proc);
      const lost = new Promise<'lost'>((resolve) => holder.lostSignal.addEventListener('abort', () => resolve('lost'), { once: true }));
      const interrupted = new Promise<'signal'>((resolve) => stop.signal.addEventListener('abort', () => resolve('signal'), { once: true }));
      const first = await Promise.race([done, lost, interrupted]);
      if (first === 'lost' || first === 'signal') {
        io.stderr.write(first === 'lost' ? 'Lock lost, killing child\n' : 'Shutdown triggered, killing child\n');
        terminate(proc);
      }
      const code = await done;
      verbose(`Child exited with code ${code}; releasing the lock`);
      if (first === 'lost') return 1;
      return code !== 0 && flags['child-exit-code'] ? 2 : 0;
    } finally {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await holder.close();
    }
  },
});
