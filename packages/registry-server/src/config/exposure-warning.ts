import { isIP } from 'node:net';

/** True for an address only this host can reach: 127.0.0.0/8, ::1 (and 127.x mapped into IPv6). */
export function isLoopback(addr: string): boolean {
  const a = addr.toLowerCase().replace(/^::ffff:/, '');
  if (isIP(a) === 4) return a.startsWith('127.');
  return a === '::1' || a === '0:0:0:0:0:0:0:1';
}

/**
 * The start-up warning for an HTTP API reachable from other hosts, or undefined when every
 * client address is loopback. Praetor has no ACLs: everyone who reaches the port can do
 * everything; an encrypt key protects the membership messages only.
 */
export function exposureWarning(clientAddrs: readonly string[], encrypt: boolean): string | undefined {
  const open = clientAddrs.filter((a) => !isLoopback(a));
  if (open.length === 0) return undefined;
  const where = `the HTTP API listens on ${open.join(', ')} (not loopback) and Praetor has no ACLs`;
  if (!encrypt) {
    return (
      `${where} and no encrypt key is set: anyone who can reach it can use the whole HTTP API, ` +
      'including membership (join, leave, force-leave and the agent-to-agent members endpoint, which makes this agent probe any host:port it is told), ' +
      'KV reads and writes, catalog and agent registrations, sessions, events and snapshot save/restore (which replaces all state). ' +
      'Set "encrypt" (-encrypt) to authenticate membership messages, and keep the port behind a firewall or use -client=127.0.0.1'
    );
  }
  return (
    `${where}: membership messages are authenticated with the encrypt key, but the rest of the HTTP API ` +
    '(KV, catalog and agent registrations, join/leave/force-leave, snapshot save/restore) is open to anyone who can reach it; keep the port behind a firewall'
  );
}
