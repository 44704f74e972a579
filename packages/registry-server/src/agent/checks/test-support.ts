import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import winston from 'winston';
import type { CheckResult, CheckRunner, Report } from './check-runner.js';

/**
 * Helpers for the check runners' tests (not part of the package's API): bounded polling, a
 * report recorder, a throwaway TLS identity, and liveness of a process by pid.
 */

export const silentLogger = (): winston.Logger => winston.createLogger({ silent: true });

/** Bounded polling (the one implementation, in @praetor/test-support). */
export { within } from '@praetor/test-support';

/** Waits `ms` (only to show that something stays quiet, never to wait for progress). */
export const quiet = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Recorder {
  report: Report;
  results: (CheckResult & { at: number })[];
  statuses(): string[];
  last(): CheckResult | undefined;
}

export function recorder(): Recorder {
  const results: (CheckResult & { at: number })[] = [];
  return {
    report: (r) => void results.push({ ...r, at: Date.now() }),
    results,
    statuses: () => results.map((r) => r.status),
    last: () => results[results.length - 1],
  };
}

/** Tracks runners so afterEach can stop them all. */
export class Runners {
  private all: CheckRunner[] = [];
  add<T extends CheckRunner>(runner: T): T {
    this.all.push(runner);
    return runner;
  }
  stopAll(): void {
    for (const r of this.all.splice(0)) r.stop();
  }
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** True while the process exists and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** A self-signed P-256 certificate for 127.0.0.1 and localhost, for TLS tests only. */
export const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+dAW1gEV6KwioC0N
q93/O3SXXzLVVWEoisMwU5GL9FahRANCAARalwYbYyGh+tGuMVaAPluQE2/aDKLZ
QhivrudWnZ/497YnjmU4K77lhhu+vw/SRhhu12oBigSKtuNEtYAQpUUn
-----END PRIVATE KEY-----
`;

export const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBojCCAUegAwIBAgIUIJCs5RW7FEwu4mFvrEj5XKICQMUwCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMcHJhZXRvci10ZXN0MCAXDTI2MTEyMzA5MDE0MVoYDzIxMjYx
MDMwMDkwMTQxWjAXMRUwEwYDVQQDDAxwcmFldG9yLXRlc3QwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAARalwYbYyGh+tGuMVaAPluQE2/aDKLZQhivrudWnZ/497Yn
jmU4K77lhhu+vw/SRhhu12oBigSKtuNEtYAQpUUno28wbTAdBgNVHQ4EFgQUb9BE
QMqtrVVrFcqIac3rrSA2WgQwHwYDVR0jBBgwFoAUb9BEQMqtrVVrFcqIac3rrSA2
WgQwDwYDVR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3Qw
CgYIKoZIzj0EAwIDSQAwRgIhALGCF2y6BDjZ9NYOTYqNGu4BWRAIsvy7UdtVHjVY
cJm8AiEAlC33QSjarksCUJGArkLWxr5lVvjjB2JThfBySFK7jco=
-----END CERTIFICATE-----
`;
