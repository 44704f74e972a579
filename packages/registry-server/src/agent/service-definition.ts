import net from 'node:net';
import type { CheckInput, ServiceInput } from '../commands/register.js';
import { BadRequestError } from '../errors.js';
import { object, type Schema } from '../http/decode.js';
import { DEFAULT_WEIGHTS, type ServiceAddress, type Weights } from '../structs/service.js';
import { CHECK_SCHEMA, normalizeCheck, type CheckRules } from './check-definition.js';

/** TaggedAddresses of a service: name → {Address, Port}. */
export const TAGGED_ADDRESSES_SCHEMA: Schema = { map: object({ Address: 'string', Port: 'int' }) };
/** Weights of a service: {Passing, Warning}. */
export const WEIGHTS_SCHEMA: Schema = object({ Passing: 'int', Warning: 'int' });

/** AgentServiceRegistration, as /v1/agent/service/register and config files send it. */
export const SERVICE_SCHEMA: Schema = object(
  {
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
    Proxy: 'any',
    Connect: 'any',
  },
  { Service: 'Name', ServiceID: 'ID' },
);

export interface ServiceDefinition {
  service: ServiceInput;
  checks: CheckInput[];
}

const META_KEY = /^[A-Za-z0-9_-]+$/;

function validateMeta(meta: Record<string, string>): void {
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

/** Validates a decoded service registration and names its checks as Consul does. */
export function normalizeService(d: Record<string, unknown>, rules: CheckRules): ServiceDefinition {
  const name = d.Name as string | undefined;
  if (!name) throw new BadRequestError('Missing service name');
  if (d.Kind) throw new BadRequestError(`Service kind ${JSON.stringify(d.Kind)} is service mesh, which Praetor does not support`);
  if (d.Proxy || d.Connect) throw new BadRequestError('Proxy and Connect are service mesh, which Praetor does not support');
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
  return { service, checks };
}
