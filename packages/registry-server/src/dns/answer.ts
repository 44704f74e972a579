import type { DnsSettings } from '../config/dns-settings.js';
import type { StateStore } from '../state/state-store.js';
import type { Rr } from './wire.js';

/** What every answer function reads: the store, the settings, this agent's datacenter. */
export interface DnsContext {
  store: StateStore;
  settings: DnsSettings;
  datacenter: string;
}

/**
 * An answer to one name, before the reply is trimmed and encoded. SRV answers carry their
 * additional records per answer (`extras[i]` belongs to `answers[i]`), so a trimmed reply keeps
 * the extras of the answers it keeps.
 */
export interface Answer {
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: Rr[];
  extras: Rr[][];
  /** Additional records that belong to no one answer (a node's meta TXT for A and AAAA questions). */
  additionals: Rr[];
  /** Put the domain's SOA in the authority section (NXDOMAIN, and empty service answers). */
  soa: boolean;
}

export const nxdomain = (): Answer => ({ rcode: 'NXDOMAIN', answers: [], extras: [], additionals: [], soa: true });

export const answer = (answers: Rr[], extras: Rr[][] = [], soa = false, additionals: Rr[] = []): Answer => ({ rcode: 'NOERROR', answers, extras, additionals, soa });

/** The primary domain without its trailing dot: targets and the SOA always use it, as in Consul 1.8. */
export const primaryDomain = (s: DnsSettings): string => s.domain.slice(0, -1);

/** A name in the primary domain: `<label>.<kind>.<dc>.<domain>`. */
export const targetName = (ctx: DnsContext, label: string, kind: 'node' | 'addr' | 'service'): string =>
  `${label}.${kind}.${ctx.datacenter}.${primaryDomain(ctx.settings)}`;

/** Same datacenter (names are case-insensitive). Praetor knows one datacenter. */
export const isLocalDc = (ctx: DnsContext, dc: string): boolean => dc === ctx.datacenter.toLowerCase();
