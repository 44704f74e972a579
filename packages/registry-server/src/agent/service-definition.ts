import net from 'node:net';
import type { CheckInput, ServiceInput } from '../commands/register.js';
import { BadRequestError, multiError } from '../errors.js';
import { object, type Fields, type Schema } from '../http/decode.js';
import { proxyConfig } from '../structs/connect.js';
import { DEFAULT_WEIGHTS, type ServiceAddress, type Weights } from '../structs/service.js';
import { CHECK_SCHEMA, normalizeCheck, type CheckRules } from './check-definition.js';

/** TaggedAddresses of a service: name → {Address, Port}. */
export const TAGGED_ADDRESSES_SCHEMA: Schema = { map: object({ Address: 'string', Port: 'int' }) };
/** Weights of a service: {Passing, Warning}. */
export const WEIGHTS_SCHEMA: Schema = object({ Passing: 'int', Warning: 'int' });

const MESH_GATEWAY_SCHEMA: Schema = object({ Mode: 'string' });
const UPSTREAM_SCHEMA: Schema = object({
  DestinationType: 'string',
  DestinationNamespace: 'string',
  DestinationName: 'string',
  Datacenter: 'string',
  LocalBindAddress: 'string',
  LocalBindPort: 'int',
  Config: 'any',
  MeshGateway: MESH_GATEWAY_SCHEMA,
});
/** A service's Proxy (Consul's ConnectProxyConfig), kept as data. */
export const PROXY_SCHEMA: Schema = object({
  DestinationServiceName: 'string',
  DestinationServiceID: 'string',
  LocalServiceAddress: 'string',
  LocalServicePort: 'int',
  Config: 'any',
  Upstreams: { array: UPSTREAM_SCHEMA },
  MeshGateway: MESH_GATEWAY_SCHEMA,
  Expose: object({ Checks: 'bool', Paths: { array: object({ ListenerPort: 'int', Path: 'string', LocalPathPort: 'int', Protocol: 'string', ParsedFromCheck: 'bool' }) } }),
});
/** The fields of AgentServiceRegistration but Connect. */
const SERVICE_FIELDS: Fields = {
  ID: 'string',
  Name: 'string',
  Tags: 'strings',
  Address: 'string',
  TaggedAddresses: TAGGED_ADDRESSES_SCHEMA,
  Meta: 'strmap',
  Port: 'int',
  SocketPath: 'string',
  Kind: 'string',
  Weights: WEIGHTS_SCHEMA,
  EnableTagOverride: 'bool',
  Check: CHECK_SCHEMA,
  Checks: { array: CHECK_SCHEMA },
  Token: 'string',
  Namespace: 'string',
  Partition: 'string',
  Proxy: PROXY_SCHEMA,
};
const SERVICE_ALIASES = { Service: 'Name', ServiceID: 'ID' };
const connect = (sidecar: Schema): Schema => object({ Native: 'bool', SidecarService: sidecar, Proxy: 'any' });

/**
 * A service's Connect: Native, and the SidecarService the agent registers with it, a service
 * definition itself. A SidecarService nested in that one is refused (sidecar-service.ts), so it
 * is not decoded further: no body can make the decoder recurse without end.
 */
export const CONNECT_SCHEMA: Schema = connect(object({ ...SERVICE_FIELDS, Connect: connect('any') }, SERVICE_ALIASES));

/** AgentServiceRegistration, as /v1/agent/service/register and config files send it. */
export const SERVICE_SCHEMA: Schema = object({ ...SERVICE_FIELDS, Connect: CONNECT_SCHEMA }, SERVICE_ALIASES);

export interface ServiceDefinition {
  service: ServiceInput;
  checks: CheckInput[];
  /** Connect.SidecarService as decoded: the agent registers it with the service (sidecar-service.ts). */
  sidecar?: Record<string, unknown>;
}

const META_KEY = /^[A-Za-z0-9_-]+$/;

export function validateMeta(meta: Record<string, string>): void {
  const keys = Object.keys(meta);
  if (keys.length > 64) throw new BadRequestError(`Invalid Service Meta: Node metadata cannot contain more than 64 key/value pairs`);
  for (const k of keys) {
    if (k.length > 128) throw new BadRequestError(`Invalid Service Meta: Key is too long (limit: 128 characters): ${JSON.stringify(k)}`);
    if (!META_KEY.test(k)) throw new BadRequestError(`Invalid Service Meta: Key contains invalid characters: ${JSON.stringify(k)}`);
    if (k.startsWith('consul-')) throw new BadRequestError(`Invalid Service Meta: Key prefix 'consul-' is reserved for internal use: ${JSON.stringify(k)}`);
    if (meta[k].length > 512) throw new BadRequestError(`Invalid Service Meta: Value is too long (limit: 512 characters): key ${JSON.stringify(k)}`);
  }
}

/**
 * As Consul's agent does: a service whose Address is an IP gets `lan_ipv4`/`wan_ipv4` (or the
 * `_ipv6` pair) tagged addresses with its address and port, unless they were given.
 */
function addDefaultTaggedAddresses(service: ServiceInput): void {
  const family = net.isIP(service.Address);
  if (family === 0) return;
  const suffix = family === 4 || /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(service.Address) ? 'ipv4' : 'ipv6';
  const tagged = { ...service.TaggedAddresses };
  for (const k of [`lan_${suffix}`, `wan_${suffix}`]) tagged[k] ??= { Address: service.Address, Port: service.Port };
  service.TaggedAddresses = tagged;
}

/**
 * Kind, Proxy and Connect as data, checked as Consul's agent checks them (every problem listed
 * in one multi-error); an upstream's DestinationType defaults to `service`.
 */
function addMesh(service: ServiceInput, d: Record<string, unknown>): void {
  const kind = (d.Kind as string | undefined) ?? '';
  if (kind) service.Kind = kind;
  if (d.Proxy) service.Proxy = proxyConfig(d.Proxy, true);
  if ((d.Connect as { Native?: boolean } | undefined)?.Native) service.Connect = { Native: true };
  const problems = meshProblems(service);
  if (problems.length > 0) throw new BadRequestError(multiError(problems));
}

/**
 * What Consul's service validation finds wrong with a service's mesh fields: a proxy needs a
 * destination, a port and named upstreams; mesh and terminating gateways a port; exposed paths
 * a listener port. The agent answers them with a 400, catalog/register with a 500.
 */
export function meshProblems(service: Pick<ServiceInput, 'Kind' | 'Port' | 'Proxy'>): string[] {
  const kind = service.Kind ?? '';
  const problems: string[] = [];
  if (kind === 'connect-proxy') {
    if (!service.Proxy?.DestinationServiceName) problems.push('Proxy.DestinationServiceName must be non-empty for Connect proxy services');
    if (!service.Port) problems.push('Port must be set for a Connect proxy');
    if (service.Proxy?.Upstreams.some((u) => !u.DestinationName)) problems.push('upstream destination name cannot be empty');
  }
  if ((kind === 'mesh-gateway' || kind === 'terminating-gateway') && !service.Port) problems.push(`Port must be non-zero for a ${kind}`);
  for (const x of service.Proxy?.Expose.Paths ?? []) if (!(x.ListenerPort > 0 && x.ListenerPort <= 65535)) problems.push(`expose.paths: invalid listener port: ${x.ListenerPort}`);
  return problems;
}

/** Validates a decoded service registration and names its checks as Consul does. */
export function normalizeService(d: Record<string, unknown>, rules: CheckRules): ServiceDefinition {
  const name = d.Name as string | undefined;
  if (!name) throw new BadRequestError('Missing service name');
  if (d.Namespace && d.Namespace !== 'default') throw new BadRequestError('Namespaces are a Consul Enterprise feature; only "default" is accepted');
  const weights = (d.Weights as Weights | undefined) ?? DEFAULT_WEIGHTS;
  if (d.Weights && !(weights.Passing > 0)) throw new BadRequestError('Passing must be greater than 0');
  if (d.Weights && !(weights.Warning >= 0)) throw new BadRequestError('Warning must be greater or equal than 0');
  const meta = (d.Meta as Record<string, string>) ?? {};
  validateMeta(meta);
  const id = (d.ID as string) || name;
  const service: ServiceInput = {
    ID: id,
    Service: name,
    Tags: (d.Tags as string[]) ?? [],
    Address: (d.Address as string) ?? '',
    Meta: meta,
    Port: (d.Port as number) ?? 0,
    Weights: { Passing: weights.Passing, Warning: weights.Warning ?? 1 },
    EnableTagOverride: (d.EnableTagOverride as boolean) ?? false,
  };
  if (d.TaggedAddresses) service.TaggedAddresses = d.TaggedAddresses as Record<string, ServiceAddress>;
  addDefaultTaggedAddresses(service);
  addMesh(service, d);

  // One check (Check or a single Checks entry) is `service:<id>`; several are numbered from 1,
  // Check first.
  const raws = [...(d.Check ? [d.Check as Record<string, unknown>] : []), ...((d.Checks as Record<string, unknown>[]) ?? [])];
  const checks: CheckInput[] = [];
  const name_ = `Service '${name}' check`;
  for (const [i, raw] of raws.entries()) {
    const c = normalizeCheck(raw, { CheckID: raws.length === 1 ? `service:${id}` : `service:${id}:${i + 1}`, Name: name_, ServiceID: id }, rules);
    if (c) checks.push(c);
  }
  for (const c of checks) {
    if (c.ServiceID !== id) throw new BadRequestError(`Check ${JSON.stringify(c.CheckID)} names ServiceID ${JSON.stringify(c.ServiceID)}, not this service ${JSON.stringify(id)}`);
  }
  const sidecar = (d.Connect as { SidecarService?: Record<string, unknown> } | undefined)?.SidecarService;
  return sidecar ? { service, checks, sidecar } : { service, checks };
}
