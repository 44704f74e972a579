import type { CheckInput } from '../commands/register.js';
import { BadRequestError } from '../errors.js';
import { object, type Fields, type Schema } from '../http/decode.js';
import { parseDuration } from '../internal/duration.js';
import { SCRIPT_TYPES } from './script-policy.js';
import { CHECK_STATUSES, type CheckDefinition, type CheckStatus, type CheckType } from '../structs/check.js';

/** AgentServiceCheck / AgentCheckRegistration, as bodies and config files send them. */
const CHECK_FIELDS: Fields = {
  CheckID: 'string',
  Name: 'string',
  Notes: 'string',
  ServiceID: 'string',
  Status: 'string',
  Output: 'string',
  Interval: 'duration',
  Timeout: 'duration',
  TTL: 'duration',
  HTTP: 'string',
  Header: { map: 'strings' },
  Method: 'string',
  Body: 'string',
  TLSSkipVerify: 'bool',
  TLSServerName: 'string',
  DisableRedirects: 'bool',
  TCP: 'string',
  TCPUseTLS: 'bool',
  GRPC: 'string',
  GRPCUseTLS: 'bool',
  ScriptArgs: 'strings',
  Script: 'string',
  DeregisterCriticalServiceAfter: 'duration',
  SuccessBeforePassing: 'uint',
  FailuresBeforeWarning: 'uint',
  FailuresBeforeCritical: 'uint',
  OutputMaxSize: 'uint',
  Namespace: 'string',
  Partition: 'string',
  DockerContainerID: 'string',
  Shell: 'string',
  AliasNode: 'string',
  AliasService: 'string',
  // Known to Consul, not run by Praetor: accepted by the decoder, refused with a clear message.
  H2PING: 'string',
  H2PingUseTLS: 'bool',
  UDP: 'string',
  OSService: 'string',
};
const CHECK_ALIASES = { ID: 'CheckID', Args: 'ScriptArgs' };

export const CHECK_SCHEMA: Schema = object(CHECK_FIELDS, CHECK_ALIASES);

/** The body of /v1/agent/check/register: a check, and the Token of Consul's write request. */
export const CHECK_REGISTER_SCHEMA: Schema = object({ ...CHECK_FIELDS, Token: 'string' }, CHECK_ALIASES);

const UNSUPPORTED = ['H2PING', 'UDP', 'OSService', 'Script'] as const;

export interface CheckRules {
  /** Script checks allowed from this source (enable_script_checks, or local with enable_local_script_checks). */
  scriptsAllowed: boolean;
}

type Decoded = Record<string, unknown>;

function positive(d: Decoded, field: string): boolean {
  return typeof d[field] === 'string' && parseDuration(d[field] as string) > 0;
}

/**
 * Turns a decoded check into what the catalog stores, deciding its type from the target field
 * and validating it as Consul does. Returns undefined for an empty check object (ignored).
 */
export function normalizeCheck(d: Decoded, defaults: { CheckID: string; Name: string; ServiceID: string }, rules: CheckRules): CheckInput | undefined {
  if (Object.keys(d).length === 0) return undefined;
  for (const f of UNSUPPORTED) {
    if (d[f]) throw new BadRequestError(`Invalid check: ${f === 'Script' ? 'Script (use Args)' : f} checks are not supported by Praetor; use HTTP, TCP, GRPC, TTL or Args`);
  }
  let type: CheckType;
  if (d.ScriptArgs && d.DockerContainerID) type = 'docker';
  else if (d.ScriptArgs) type = 'script';
  else if (d.HTTP) type = 'http';
  else if (d.TCP) type = 'tcp';
  else if (d.GRPC) type = 'grpc';
  else if (d.AliasNode || d.AliasService) type = 'alias';
  else if (d.TTL !== undefined) type = 'ttl';
  else throw new BadRequestError('Invalid check: set one of HTTP, TCP, GRPC or Args (with an Interval), TTL, or AliasService/AliasNode');

  if (type === 'alias' && positive(d, 'TTL')) throw new BadRequestError('Invalid check: TTL must be not be set for Alias checks');
  if (type === 'ttl' && !positive(d, 'TTL')) throw new BadRequestError('Invalid check: TTL must be > 0 for TTL checks');
  if (type !== 'ttl' && type !== 'alias' && !positive(d, 'Interval')) {
    throw new BadRequestError('Invalid check: Interval must be > 0 for Script, HTTP, TCP or GRPC checks');
  }
  if (SCRIPT_TYPES.has(type) && !rules.scriptsAllowed) {
    throw new BadRequestError("Scripts are disabled on this agent from remote calls; to enable, configure 'enable_script_checks' to true");
  }
  const status = (d.Status as string | undefined) ?? 'critical';
  if (!CHECK_STATUSES.includes(status as CheckStatus)) {
    throw new BadRequestError(`Status for checks must be 'passing', 'warning' or 'critical', not ${JSON.stringify(status)}`);
  }
  if (d.Namespace && d.Namespace !== 'default') throw new BadRequestError('Namespaces are a Consul Enterprise feature; only "default" is accepted');

  const def: CheckDefinition = {};
  const copy = <K extends keyof CheckDefinition>(k: K) => {
    if (d[k] !== undefined) def[k] = d[k] as CheckDefinition[K];
  };
  if (type === 'alias') {
    // It follows its target as it changes: an Interval or Timeout would mean nothing (Consul ignores them too).
    (['AliasNode', 'AliasService', 'DeregisterCriticalServiceAfter'] as const).forEach(copy);
  } else {
    (['HTTP', 'Header', 'Method', 'Body', 'TLSSkipVerify', 'TCP', 'GRPC', 'GRPCUseTLS', 'TTL', 'ScriptArgs', 'DockerContainerID', 'Shell', 'Interval', 'Timeout',
      'DeregisterCriticalServiceAfter', 'OutputMaxSize', 'SuccessBeforePassing', 'FailuresBeforeWarning', 'FailuresBeforeCritical'] as const).forEach(copy);
  }

  return {
    CheckID: (d.CheckID as string) || defaults.CheckID || (d.Name as string) || '',
    Name: (d.Name as string) || defaults.Name || (d.CheckID as string) || '',
    Status: status as CheckStatus,
    Notes: (d.Notes as string) ?? '',
    Output: (d.Output as string) ?? '',
    ServiceID: (d.ServiceID as string) || defaults.ServiceID,
    Type: type,
    Definition: def,
    explicitStatus: d.Status !== undefined,
  };
}
