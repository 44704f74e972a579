import net from 'node:net';

/**
 * Polls `predicate` every `stepMs` until it returns something truthy (which is returned) or
 * `ms` pass (then it throws, naming `what` and the last error the predicate threw). Bounded,
 * for asserting that something converges without a bare sleep.
 */
export async function within<T>(ms: number, predicate: () => T | Promise<T>, what = 'the condition', stepMs = 25): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await predicate();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${ms} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** A TCP port free on `host` right now (nothing listens on it once this resolves). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
