import type { FuzzRequest, FuzzResponse } from './fuzz-client.js';

/**
 * The 500s Consul 1.8.7 answers too, keyed by route (the route table's path; `*` = any route).
 * Each entry was checked against the reference binary with the same kind of input. A 500 whose
 * text matches none of these is a failure; so is any 500 reading "Internal error:" (an exception
 * no handler expected). Entries that only exist because of an issue-8 item in progress say so
 * and go when it lands. The `s` flag: names quoted in a message may hold newlines.
 */
/** The agent's local service health routes, which answer 503 for a critical service. */
const AGENT_HEALTH: ReadonlySet<string> = new Set(['/v1/agent/health/service/name/', '/v1/agent/health/service/id/']);

export const CONSUL_500S: Record<string, RegExp[]> = {
  // ?dc=<other> (and "Datacenter" in a body): Consul answers 500 "No path to datacenter".
  '*': [/^No path to datacenter$/s],
  // Consul: 500 "failed session lookup: index error: UUID must be 36 characters" etc. for a bad session ID.
  '/v1/kv/': [/^failed session lookup: index error: /s, /^invalid session /s, /^missing session$/s],
  '/v1/session/create': [/^Missing node registration$/s, /^Missing check '.*' registration$/s, /^Check '.*' is in critical state$/s, /^Session TTL '.*' invalid/s, /^Invalid Session TTL /s, /^Invalid Behavior setting /s],
  '/v1/session/destroy/': [/^failed session lookup: index error: /s],
  '/v1/session/renew/': [/^failed session lookup: index error: /s],
  '/v1/session/info/': [/^failed session lookup: index error: /s],
  // Consul's catalog endpoint fails these inside its RPC: 500 "Must provide node" and the like.
  '/v1/catalog/register': [
    /^Must provide node$/s,
    /^Must provide address if SkipNodeUpdate is not set$/s,
    /^Must provide service name( with ID)?$/s,
    /^Must provide check ID or name$/s,
    /^Missing service registration for check /s,
    // A proxy or gateway failing Consul's mesh validation: its multi-error, as a 500 on this route.
    /^\d+ errors? occurred:\n(\t\* (Proxy\.DestinationServiceName must be non-empty|Port must be set for a Connect proxy|upstream destination name cannot be empty|Port must be non-zero for a |expose\.paths: invalid listener port: )[^\n]*\n)+\n$/s,
  ],
  '/v1/catalog/deregister': [/^Must provide node$/s],
  // Consul: 500 for a tag filter without a service filter, a bad regexp, a payload over 512 bytes.
  '/v1/event/fire/': [/^Cannot provide tag filter without service filter$/s, /^Invalid (node|service|tag) filter: /s, /^1 error occurred:\n\t\* error broadcasting event to segment "": user event exceeds /s],
  // Consul: 500 "1 error occurred: * Failed to join <addr>: ..." for any join that fails.
  '/v1/agent/join/': [/^1 error occurred:\n\t\* Failed to join /s],
  // Consul: 500 "agent: No node found with name '<x>'".
  '/v1/agent/force-leave/': [/^agent: No node found with name /s],
  // Consul: 500 for an archive it cannot read ("failed to read snapshot", "gzip: invalid header"...).
  '/v1/snapshot': [/^failed to decompress snapshot: /s, /^failed to read snapshot (file|metadata|state): /s, /^unsupported snapshot version /s, /^invalid snapshot( state)?: /s],
  // Consul: 500 `CheckID "x" does not have associated TTL` when passing/failing a non-TTL check.
  '/v1/agent/check/pass/': [/does not have associated TTL$/],
  '/v1/agent/check/warn/': [/does not have associated TTL$/],
  '/v1/agent/check/fail/': [/does not have associated TTL$/],
  '/v1/agent/check/update/': [/does not have associated TTL$/],
  // Config entries (Consul 1.8.7): a missing name, an ingress listener whose services speak another protocol, a bad kind on a read.
  '/v1/config': [/^serviceName is required$/s, /^failed inserting config entry: object missing primary index$/s, /^service ".*" has protocol ".*", which does not match defined listener protocol ".*"$/s],
  '/v1/config/': [/^invalid config entry kind: /s, /^service ".*" has protocol ".*", which does not match defined listener protocol ".*"$/s],
  // Consul: 500 for a raft peer it does not have. Praetor's own 500: a live server cannot be removed (Consul would remove it).
  '/v1/operator/raft/peer': [/^(id|address) ".*" was not found in the Raft configuration$/s, /^server ".*" is live: /s],
  // Consul: 500 `ServiceID "x" does not exist` for a check of a service that is not registered.
  '/v1/agent/check/register': [/^ServiceID ".*" does not exist$/s],
  // Consul: 500 for a sidecar with bad Meta, or none of the sidecar port range left.
  '/v1/agent/service/register': [/^Invalid SidecarService: /s, /^no port provided for sidecar_service and /s],
};

/** The route-table path a request went to (its longest table prefix), for the allow-list. */
export function routeKey(path: string, tablePaths: readonly string[]): string | undefined {
  const p = path.split('?')[0];
  let best: string | undefined;
  for (const t of tablePaths) if ((p === t || (t.endsWith('/') && p.startsWith(t))) && (!best || t.length > best.length)) best = t;
  return best;
}

const JSON_TYPE = /^application\/json(;|$)/;
const TEXT_TYPE = /^text\/plain; charset=utf-8$/;
const UI_TYPE = /^text\/(html|javascript|css); charset=utf-8$/;

/**
 * Checks one answer; returns what is wrong, or undefined. `key` is the route-table path.
 * Rules: a status in 1xx-4xx, or a 500 that Consul also answers for that route; a body that is
 * JSON (when labelled JSON), plain text (errors), or the one binary type the route serves.
 */
export function checkAnswer(req: FuzzRequest, res: FuzzResponse, key: string | undefined): string | undefined {
  if (req.raw) {
    // Bad framing: Node's parser answers 400/413/431/505 (or 417) and closes; a close without answer is fine too.
    if (res.status >= 500 && res.status !== 505) return `raw request answered ${res.status}`;
    return undefined;
  }
  const text = res.body.toString('utf8');
  // Consul's local service health answers 503 with its JSON when an instance is critical or in
  // maintenance (200 passing, 429 warning; checked on the 1.8.7 binary): an answer, not a failure.
  const criticalHealth = res.status === 503 && key !== undefined && AGENT_HEALTH.has(key) && /"AggregatedStatus": ?"(critical|maintenance)"|^(critical|maintenance)$/.test(text);
  if (res.status >= 500 && !criticalHealth) {
    if (text.startsWith('Internal error:')) return `unexpected exception (500): ${text.slice(0, 400)}`;
    const allowed = [...(CONSUL_500S['*'] ?? []), ...((key && CONSUL_500S[key]) || [])];
    if (res.status !== 500 || !allowed.some((re) => re.test(text))) return `${res.status} not on the allow-list for ${key ?? 'no route'}: ${JSON.stringify(text.slice(0, 400))}`;
  }
  if (res.status === 301) return res.headers.location ? undefined : '301 without Location';
  if (res.status === 405 && !res.headers.allow) return '405 without Allow';
  const type = String(res.headers['content-type'] ?? '');
  if (res.body.length === 0) return undefined;
  if (req.method === 'HEAD') return undefined;
  if (JSON_TYPE.test(type)) {
    try {
      JSON.parse(text);
    } catch (err) {
      return `Content-Type ${type} but the body is not JSON (${(err as Error).message}): ${JSON.stringify(text.slice(0, 200))}`;
    }
    return undefined;
  }
  // The web UI (http/ui-files.ts): its page, scripts and styles; `/` names the agent when the UI is off.
  if (key === '/ui/' && res.status === 200 && UI_TYPE.test(type)) return undefined;
  if (key === '/' && res.status === 200 && text === 'Consul Agent') return undefined;
  if (TEXT_TYPE.test(type)) {
    if (res.status < 400) return `plain text on a ${res.status}: ${JSON.stringify(text.slice(0, 200))}`;
    return undefined;
  }
  if (type === 'application/octet-stream' && key === '/v1/kv/' && res.status === 200) return undefined;
  if (type === 'application/x-gzip' && key === '/v1/snapshot' && res.status === 200) return undefined;
  return `unexpected Content-Type ${JSON.stringify(type)} on ${res.status} for ${key ?? 'no route'}: ${JSON.stringify(text.slice(0, 200))}`;
}
