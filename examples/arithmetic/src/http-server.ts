import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'winston';

/** How long drain() waits for open requests before cutting their connections (ms). */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

/** A listening HTTP server that can be drained. */
export interface RunningServer {
  /** The port it listens on (the one asked for, or the one the OS gave for 0). */
  readonly port: number;
  /** Requests being answered now. */
  inFlight(): number;
  /**
   * Stops accepting connections, lets the open requests finish (their responses carry
   * `Connection: close`), waits for them up to `timeoutMs`, then closes every connection left.
   * Resolves when the server is closed; safe to call twice (the second call gets the same promise).
   */
  drain(timeoutMs?: number): Promise<void>;
}

/** Starts `handler` on host:port and resolves once it listens. */
export function listen(handler: http.RequestListener, opts: { host: string; port: number }, logger: Logger): Promise<RunningServer> {
  const log = logger.child({ component: 'http-server' });
  let inFlight = 0;
  let draining: Promise<void> | null = null;
  const server = http.createServer((req, res) => {
    inFlight++;
    if (draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      inFlight--;
      // A keep-alive connection whose request began before the drain is idle once it answered.
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
    handler(req, res);
  });

  const drain = (timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS): Promise<void> => {
    draining ??= (async () => {
      log.info('draining', { inFlight });
      // close() stops accepting and closes idle keep-alive connections; it calls back once the
      // connections still answering have closed too.
      const closed = new Promise<boolean>((resolve) => server.close(() => resolve(true)));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
      });
      const finished = await Promise.race([closed, timedOut]);
      clearTimeout(timer);
      if (!finished) {
        log.warn('requests still open after the drain timeout; closing their connections', { inFlight, timeoutMs });
        server.closeAllConnections();
        await closed;
      }
      log.info('drained');
    })();
    return draining;
  };

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      server.on('error', (err) => log.error('server error', { error: err.message }));
      const { port } = server.address() as AddressInfo;
      log.info('listening', { host: opts.host, port });
      resolve({ port, inFlight: () => inFlight, drain });
    });
  });
}
