import type { Logger } from 'winston';

/** How long the logger may take to flush a fatal error before the process exits anyway. */
const FLUSH_LIMIT_MS = 2000;

/**
 * Makes an error that nothing caught end the agent cleanly: the error is logged at error level
 * with its stack, the logger is flushed, and the process exits 1 (a supervisor restarts it from
 * the data dir, which holds every acknowledged write). A second fatal error while flushing exits
 * at once. `exit` is process.exit outside tests.
 */
export function installProcessGuards(log: Logger, exit: (code: number) => void = (code) => process.exit(code)): void {
  let dying = false;
  const fatal = (what: string, err: unknown) => {
    if (dying) {
      exit(1);
      return;
    }
    dying = true;
    const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
    try {
      log.error(`${what}; the agent exits so that a restart starts from what is on disk. Report this with the stack below`, { error: stack });
    } catch {
      process.stderr.write(`${what}: ${stack}\n`);
    }
    const done = () => process.stderr.write('', () => exit(1));
    const timer = setTimeout(done, FLUSH_LIMIT_MS);
    log.once('finish', () => {
      clearTimeout(timer);
      done();
    });
    log.end();
  };
  process.on('unhandledRejection', (reason) => fatal('unhandled promise rejection', reason));
  process.on('uncaughtException', (err) => fatal('uncaught exception', err));
}
