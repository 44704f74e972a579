import type { DnsSettings } from '../config/dns-settings.js';

/** dns_config.service_ttl for a service (ms): its exact name, else the longest matching `prefix*`, else `*`, else 0. */
export function serviceTtl(settings: DnsSettings, service: string): number {
  const table = settings.serviceTtl;
  const name = service.toLowerCase();
  if (Object.hasOwn(table, name)) return table[name];
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (key === '*' || !key.endsWith('*')) continue;
    const prefix = key.slice(0, -1);
    if (name.startsWith(prefix) && (best === undefined || prefix.length > best.length - 1)) best = key;
  }
  if (best !== undefined) return table[best];
  return Object.hasOwn(table, '*') ? table['*'] : 0;
}
