import type { Logger } from 'winston';
import { DataDirLock } from '../backend/embedded/data-dir-lock.js';
import type { AgentConfig } from '../config/agent-config.js';
import type { HttpApi } from '../http/server.js';
import { splitHostPort } from '../membership/member.js';

/** What a started agent shows at start. */
export interface Banner {
  node: string;
  addrs: string[];
  dns?: string[];
  role: string;
  dataDir: string;
}

/** Listens on every -client address; the `http://host:port` URLs, or null after logging why not. */
export async function listenHttp(httpApi: HttpApi, config: AgentConfig, log: Logger): Promise<string[] | null> {
  const addrs: string[] = [];
  try {
    for (const host of config.clientAddrs) {
      const port = await httpApi.listen(host, config.ports.http);
      addrs.push(`http://${host.includes(':') ? `[${host}]` : host}:${port}`);
    }
    return addrs;
  } catch (err) {
    log.error(`cannot listen for HTTP: ${(err as Error).message}; pick another -http-port or -client address`);
    return null;
  }
}

/** The HTTP address other agents reach this one at: the first listen address, the bind address for 0.0.0.0 or ::. */
export function reachableHttp(addrs: readonly string[], bindAddr: string): string {
  return reachableAddr(addrs[0]!.slice('http://'.length), bindAddr);
}

/** A listen address (`host:port`) as other agents reach it: the bind address for 0.0.0.0 or ::. */
export function reachableAddr(hostPort: string, bindAddr: string): string {
  const { host, port } = splitHostPort(hostPort);
  if (host !== '0.0.0.0' && host !== '::') return hostPort;
  return `${bindAddr.includes(':') ? `[${bindAddr}]` : bindAddr}:${port}`;
}

export function printBanner(b: Banner, datacenter: string): void {
  process.stdout.write(
    `==> Praetor agent running!\n` +
      `           Node name: '${b.node}'\n` +
      `          Datacenter: '${datacenter}' (${b.role})\n` +
      `         Client Addr: ${b.addrs.join(', ')}\n` +
      (b.dns ? `            DNS Addr: ${b.dns.join(', ')} (UDP and TCP)\n` : '') +
      `            Data dir: ${b.dataDir}\n\n` +
      `==> Log data will now stream in as it occurs:\n\n`,
  );
}

/** Takes the data dir for this process alone; null, after logging why, when another process has it. */
export function lockDataDir(dir: string, log: Logger): DataDirLock | null {
  try {
    return DataDirLock.acquire(dir);
  } catch (err) {
    log.error(`cannot start: ${(err as Error).message}`);
    return null;
  }
}

/** What the embedded store calls once the data dir cannot be written: log, and stop with exit code 1. */
export function onDataDirFatal(log: Logger, stop: () => void): (err: Error) => void {
  return (err) => {
    log.error(`the data dir can no longer be written (${err.message}); exiting so that a restart reloads only what is on disk`);
    process.exitCode = 1;
    stop();
  };
}
