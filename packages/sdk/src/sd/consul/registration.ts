import type { CheckDefinition, ServiceRegistration } from './api-types.js';
import { InvalidRegistrationError } from './errors.js';

const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const META_KEY = /^[A-Za-z0-9_-]{1,128}$/;

function checkErrors(c: CheckDefinition, where: string): string[] {
  const out: string[] = [];
  const targets = ['HTTP', 'TCP', 'GRPC', 'TTL', 'Args'].filter((k) => c[k as keyof CheckDefinition]);
  if (targets.length !== 1) out.push(`${where}: set exactly one of HTTP, TCP, GRPC, TTL or Args (got ${targets.length ? targets.join(', ') : 'none'})`);
  for (const k of ['TTL', 'Interval', 'Timeout', 'DeregisterCriticalServiceAfter'] as const) {
    const v = c[k];
    if (v !== undefined && !DURATION.test(v)) out.push(`${where}.${k}: ${JSON.stringify(v)} is not a duration such as "10s"`);
  }
  if ((c.HTTP || c.TCP || c.GRPC || c.Args) && !c.Interval) out.push(`${where}: an HTTP, TCP, GRPC or script (Args) check needs an Interval`);
  if (c.Args !== undefined && (!Array.isArray(c.Args) || c.Args.length === 0 || c.Args.some((a) => typeof a !== 'string'))) out.push(`${where}.Args: the command and its arguments, as a non-empty list of strings`);
  if (c.HTTP && !/^https?:\/\//.test(c.HTTP)) out.push(`${where}.HTTP: ${JSON.stringify(c.HTTP)} is not an http(s) URL`);
  return out;
}

/**
 * Checks a registration before any request, with the rules the server applies, so a malformed
 * definition fails at once with every problem listed. Script checks (`Args`) pass here: whether
 * the agent runs them (`enable_script_checks`) only the agent knows, and it refuses them
 * otherwise (register() then rejects with its answer).
 */
export function validateRegistration(r: ServiceRegistration): void {
  const problems: string[] = [];
  if (!r || typeof r !== 'object') throw new InvalidRegistrationError('the service registration must be an object');
  if (!r.Name || typeof r.Name !== 'string') problems.push('Name is required');
  if (r.Port !== undefined && (!Number.isInteger(r.Port) || r.Port < 0 || r.Port > 65535)) problems.push(`Port ${JSON.stringify(r.Port)} is not a port number`);
  if (r.Tags !== undefined && (!Array.isArray(r.Tags) || r.Tags.some((t) => typeof t !== 'string'))) problems.push('Tags must be strings');
  for (const [k, v] of Object.entries(r.Meta ?? {})) {
    if (!META_KEY.test(k)) problems.push(`Meta key ${JSON.stringify(k)} may hold only letters, digits, - and _ (at most 128)`);
    if (typeof v !== 'string') problems.push(`Meta ${JSON.stringify(k)} must be a string`);
  }
  if (r.Weights && !(r.Weights.Passing > 0)) problems.push('Weights.Passing must be greater than 0');
  if (r.Check) problems.push(...checkErrors(r.Check, 'Check'));
  (r.Checks ?? []).forEach((c, i) => problems.push(...checkErrors(c, `Checks[${i}]`)));
  if (problems.length) throw new InvalidRegistrationError(`invalid service registration${r?.Name ? ` for ${JSON.stringify(r.Name)}` : ''}: ${problems.join('; ')}`);
}

/** The check IDs the agent gives a registration's checks (`service:<id>`, `service:<id>:<n>`). */
export function checkIDs(r: ServiceRegistration): Array<{ id: string; def: CheckDefinition }> {
  const sid = r.ID || r.Name;
  const out: Array<{ id: string; def: CheckDefinition }> = [];
  if (r.Check) out.push({ id: r.Check.CheckID || `service:${sid}`, def: r.Check });
  (r.Checks ?? []).forEach((c, i) => out.push({ id: c.CheckID || `service:${sid}:${i + 1}`, def: c }));
  return out;
}

/** Go duration text to milliseconds, for the durations a registration carries. */
export function durationMs(text: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]];
  return total;
}
