import type { experimental } from '@grpc/grpc-js';
import { ConsulError } from '../sd/consul/errors.js';

/** The URI scheme the Praetor resolver answers to. */
export const PRAETOR_SCHEME = 'praetor';

/**
 * What a `praetor:` target asks for. Grammar:
 *
 *   praetor:///SERVICE[?tag=T]...[&passing=false][&dc=DC][&filter=EXPR]
 *   praetor://HOST:PORT[,HOST:PORT]/SERVICE[?...]
 *
 * - `tag` may repeat: every tag must be on an instance (sent as repeated `?tag=`).
 * - `passing` defaults to true (only instances whose checks all pass); `false`/`0` turns it off.
 * - The authority, when present, is the registry's HTTP address (plain http; several, comma
 *   separated, fail over in order). Without it the resolver's client is used.
 */
export interface PraetorTarget {
  service: string;
  tags: string[];
  passing: boolean;
  dc?: string;
  filter?: string;
  /** Registry addresses named by the authority; empty when the target names none. */
  registry: string[];
}

export interface PraetorTargetOptions {
  /** Tags every instance must carry (`?tag=`, repeated). */
  tags?: string[];
  /** Only instances whose checks all pass; default true (`passing=false` in the target otherwise). */
  passing?: boolean;
  /** The datacenter to ask (`?dc=`). */
  dc?: string;
  /** A Consul filter expression (`?filter=`). */
  filter?: string;
  /** `host:port` of the registry (or several, for failover); `http://` is accepted and dropped. */
  registry?: string | string[];
}

/** A `praetor:` target that cannot be resolved (no service name, an unknown parameter, …). */
export class InvalidTargetError extends ConsulError {
  constructor(target: string, why: string) {
    super('PRAETOR_ERR_INVALID_TARGET', `invalid praetor target ${JSON.stringify(target)}: ${why}`);
  }
}

const KNOWN = new Set(['tag', 'passing', 'dc', 'filter']);

function bool(target: string, v: string): boolean {
  if (v === 'true' || v === '1' || v === '') return true;
  if (v === 'false' || v === '0') return false;
  throw new InvalidTargetError(target, `passing=${JSON.stringify(v)} is not true, false, 1 or 0`);
}

/** Reads a target as grpc-js parsed it (scheme, authority, path-with-query). Throws InvalidTargetError. */
export function parsePraetorTarget(uri: experimental.GrpcUri): PraetorTarget {
  const text = `${uri.scheme ?? ''}:${uri.authority !== undefined ? `//${uri.authority}/` : ''}${uri.path}`;
  const q = uri.path.indexOf('?');
  const rawName = q < 0 ? uri.path : uri.path.slice(0, q);
  let service: string;
  try {
    service = decodeURIComponent(rawName);
  } catch {
    throw new InvalidTargetError(text, 'the service name is not valid percent-encoding');
  }
  if (!service) throw new InvalidTargetError(text, 'no service name (expected praetor:///SERVICE)');
  if (service.includes('/')) throw new InvalidTargetError(text, 'the service name may not contain "/"');
  const params = new URLSearchParams(q < 0 ? '' : uri.path.slice(q + 1));
  for (const key of params.keys()) {
    if (!KNOWN.has(key)) throw new InvalidTargetError(text, `unknown parameter ${JSON.stringify(key)} (known: tag, passing, dc, filter)`);
  }
  const tags = params.getAll('tag');
  if (tags.some((t) => !t)) throw new InvalidTargetError(text, 'an empty tag');
  const out: PraetorTarget = {
    service,
    tags,
    passing: params.has('passing') ? bool(text, params.get('passing')!) : true,
    registry: (uri.authority ?? '').split(',').filter(Boolean),
  };
  if (params.get('dc')) out.dc = params.get('dc')!;
  if (params.get('filter')) out.filter = params.get('filter')!;
  return out;
}

/**
 * Builds a target for grpc-js: `praetorTarget('hello', {tags: ['v1']})` is
 * `praetor:///hello?tag=v1`; with `registry: '127.0.0.1:8500'` it is
 * `praetor://127.0.0.1:8500/hello?tag=v1`.
 */
export function praetorTarget(service: string, opts: PraetorTargetOptions = {}): string {
  if (!service) throw new InvalidTargetError(service, 'no service name');
  const registry = (Array.isArray(opts.registry) ? opts.registry : opts.registry ? [opts.registry] : []).map((r) => {
    if (/^https:\/\//.test(r)) throw new InvalidTargetError(r, 'an https registry cannot be named in a target; pass a client to registerPraetorResolver()');
    return r.replace(/^http:\/\//, '').replace(/\/+$/, '');
  });
  const p = new URLSearchParams();
  for (const t of opts.tags ?? []) p.append('tag', t);
  if (opts.passing === false) p.set('passing', 'false');
  if (opts.dc) p.set('dc', opts.dc);
  if (opts.filter) p.set('filter', opts.filter);
  const query = p.toString();
  return `${PRAETOR_SCHEME}://${registry.join(',')}/${encodeURIComponent(service)}${query ? `?${query}` : ''}`;
}
