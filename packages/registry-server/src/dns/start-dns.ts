import type { Logger } from 'winston';
import type { AgentConfig } from '../config/agent-config.js';
import type { StateStore } from '../state/state-store.js';
import { Recursors } from './recursor.js';
import { DnsResolver } from './resolver.js';
import { DnsServer } from './server.js';

/** A server's DNS answers: from its store, names outside its domains from the recursors. */
export function storeResolver(config: AgentConfig, store: StateStore, log: Logger): DnsResolver {
  const s = config.dns;
  return new DnsResolver({ store, settings: s, datacenter: config.datacenter }, new Recursors(s.recursors, s.recursorTimeout), log);
}

/**
 * Starts the DNS interface on every client address (ports.dns; -1: none). A port that cannot
 * be bound turns DNS off with an error in the log and the agent runs on (Consul would exit):
 * many agents on one machine, tests among them, would otherwise all need a DNS port of their own.
 */
export async function startDns(config: AgentConfig, resolver: Pick<DnsResolver, 'reply'>, log: Logger): Promise<{ server: DnsServer; addrs: string[] } | null> {
  if (config.ports.dns < 0) return null;
  const s = config.dns;
  const server = new DnsServer(resolver, log);
  const addrs: string[] = [];
  for (const host of config.clientAddrs) {
    try {
      const port = await server.listen(host, config.ports.dns);
      addrs.push(`${host.includes(':') ? `[${host}]` : host}:${port}`);
    } catch (err) {
      log.error(`DNS is off: cannot listen on ${host} port ${config.ports.dns} (${(err as Error).message}); pick another -dns-port, or -dns-port=-1 for no DNS`);
      await server.close();
      return null;
    }
  }
  log.info('DNS listening (UDP and TCP)', { addrs: addrs.join(','), domain: s.domain, ...(s.altDomain ? { alt_domain: s.altDomain } : {}) });
  return { server, addrs };
}
