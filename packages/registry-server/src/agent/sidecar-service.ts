import net from 'node:net';
import type { ServiceInput } from '../commands/register.js';
import { BadRequestError, InternalError, multiError } from '../errors.js';
import type { Service } from '../structs/service.js';
import type { CheckRules } from './check-definition.js';
import { normalizeService, validateMeta, type ServiceDefinition } from './service-definition.js';

/** The sidecar of service `id` is always `<id>-sidecar-proxy`. */
export const SIDECAR_SUFFIX = '-sidecar-proxy';

/** ports.sidecar_min_port / sidecar_max_port: where sidecar ports are assigned (0 in either: never). */
export interface SidecarPorts {
  min: number;
  max: number;
}

type D = Record<string, unknown>;

/**
 * The sidecar proxy a registration's `Connect.SidecarService` asks for, as a service
 * definition of its own, the way Consul's agent fills it in: ID `<id>-sidecar-proxy` (the
 * agent's to choose), Name `<name>-sidecar-proxy`, Kind `connect-proxy`, the parent's Tags,
 * Meta and Address unless it has its own, a Proxy pointing at the parent
 * (LocalServiceAddress 127.0.0.1 and the parent's port unless given), and `port`. Without
 * checks of its own it gets Consul's two: a TCP check on LocalServiceAddress:port every 10s
 * ("Connect Sidecar Listening") and an alias of the parent ("Connect Sidecar Aliasing <id>").
 * Throws Consul's errors: a nested SidecarService or an ID are a 400, bad Meta a 500.
 */
export function sidecarDefinition(parent: ServiceInput, raw: D, port: number, rules: CheckRules): ServiceDefinition {
  const problems: string[] = [];
  if ((raw.Connect as { SidecarService?: unknown } | undefined)?.SidecarService) problems.push('A SidecarService cannot have a nested SidecarService');
  if (raw.ID) problems.push('A SidecarService cannot specify an ID as this is managed by the agent');
  if (problems.length > 0) throw new BadRequestError(multiError(problems));
  if (raw.Meta) {
    try {
      validateMeta(raw.Meta as Record<string, string>);
    } catch (err) {
      throw new InternalError(`Invalid SidecarService: ${(err as Error).message}`);
    }
  }
  const proxy: D = { ...(raw.Proxy as D | undefined) };
  proxy.DestinationServiceName ||= parent.Service;
  proxy.DestinationServiceID ||= parent.ID;
  proxy.LocalServiceAddress ||= '127.0.0.1';
  if (!((proxy.LocalServicePort as number | undefined)! >= 1)) proxy.LocalServicePort = parent.Port;
  const ownChecks = !!raw.Check || ((raw.Checks as unknown[] | undefined)?.length ?? 0) > 0;
  const listening = net.isIPv6(proxy.LocalServiceAddress as string) ? `[${proxy.LocalServiceAddress}]:${port}` : `${proxy.LocalServiceAddress}:${port}`;
  const full: D = {
    ...raw,
    ID: parent.ID + SIDECAR_SUFFIX,
    Name: (raw.Name as string) || parent.Service + SIDECAR_SUFFIX,
    Kind: (raw.Kind as string) || 'connect-proxy',
    Tags: (raw.Tags as string[] | undefined)?.length ? raw.Tags : parent.Tags,
    Meta: Object.keys((raw.Meta as D | undefined) ?? {}).length > 0 ? raw.Meta : parent.Meta,
    Address: (raw.Address as string) || parent.Address,
    Port: port,
    Proxy: proxy,
    Checks: ownChecks
      ? raw.Checks
      : [
          { Name: 'Connect Sidecar Listening', TCP: listening, Interval: '10s' },
          { Name: `Connect Sidecar Aliasing ${parent.ID}`, AliasService: parent.ID },
        ],
  };
  return normalizeService(full, rules);
}

/**
 * The port of a sidecar registered with none: the one it has already when that is in the
 * range, else the lowest port of the range no service of the agent uses. A 500 when the range
 * is disabled (a bound of 0) or used up, with Consul's words.
 */
export function sidecarPort(services: Iterable<Pick<Service, 'ID' | 'Port'>>, sidecarID: string, range: SidecarPorts): number {
  if (range.min < 1 || range.max < 1) throw new InternalError('no port provided for sidecar_service and auto-assignment disabled in config');
  const inRange = (p: number) => p >= range.min && p <= range.max;
  const used = new Set<number>();
  for (const s of services) {
    if (!inRange(s.Port)) continue;
    if (s.ID === sidecarID) return s.Port;
    used.add(s.Port);
  }
  for (let p = range.min; p <= range.max; p++) if (!used.has(p)) return p;
  throw new InternalError(`no port provided for sidecar_service and none left in the configured range [${range.min}, ${range.max}]`);
}
