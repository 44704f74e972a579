import { BadRequestError, InvalidWriteError, multiError } from '../errors.js';
import type { ConfigEntry } from '../structs/config-entry.js';

/**
 * The config entry kinds Praetor keeps (as data: no proxy reads them), each decoded the way
 * Consul 1.8.7 decodes it (keys in any case, snake_case too) and stored with Consul's defaults,
 * in the field order Consul answers with.
 */
export const CONFIG_ENTRY_KINDS = ['service-defaults', 'proxy-defaults', 'ingress-gateway', 'terminating-gateway'] as const;
export type ConfigEntryKind = (typeof CONFIG_ENTRY_KINDS)[number];

export function isConfigEntryKind(kind: string): kind is ConfigEntryKind {
  return (CONFIG_ENTRY_KINDS as readonly string[]).includes(kind);
}

type D = Record<string, unknown>;
type Unindexed = Omit<ConfigEntry, 'CreateIndex' | 'ModifyIndex'>;

/** Fields by kind, as Consul names them; nested objects are described by their own field lists. */
interface Shape {
  [field: string]: 'string' | 'int' | 'bool' | 'any' | Shape | [Shape];
}
const MESH: Shape = { Mode: 'string' };
const EXPOSE: Shape = { Checks: 'bool', Paths: [{ ListenerPort: 'int', Path: 'string', LocalPathPort: 'int', Protocol: 'string', ParsedFromCheck: 'bool' }] };
const SHAPES: Record<ConfigEntryKind, Shape> = {
  'service-defaults': { Kind: 'string', Name: 'string', Protocol: 'string', MeshGateway: MESH, Expose: EXPOSE, ExternalSNI: 'string' },
  'proxy-defaults': { Kind: 'string', Name: 'string', Config: 'any', MeshGateway: MESH, Expose: EXPOSE },
  'ingress-gateway': {
    Kind: 'string',
    Name: 'string',
    TLS: { Enabled: 'bool' },
    Listeners: [{ Port: 'int', Protocol: 'string', Services: [{ Name: 'string', Hosts: 'any' }] }],
  },
  'terminating-gateway': { Kind: 'string', Name: 'string', Services: [{ Name: 'string', CAFile: 'string', CertFile: 'string', KeyFile: 'string', SNI: 'string' }] },
};

const fold = (k: string) => k.replace(/_/g, '').toLowerCase();

/** Renames the keys of `raw` to the shape's (any case, snake_case), recursively; an unknown key is refused as Consul refuses it. */
function canonical(raw: unknown, shape: Shape): D {
  const out: D = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  const byFold = new Map(Object.keys(shape).map((k) => [fold(k), k]));
  for (const [k, v] of Object.entries(raw as D)) {
    const name = byFold.get(fold(k));
    if (!name) throw new BadRequestError(`Bad request: Request decoding failed: ${multiError([`invalid config key "${k}"`])}`);
    const rule = shape[name]!;
    if (Array.isArray(rule)) out[name] = Array.isArray(v) ? v.map((e) => canonical(e, rule[0]!)) : [];
    else if (typeof rule === 'object') out[name] = canonical(v, rule);
    else out[name] = v;
  }
  return out;
}

/** The kind a body names (Kind in any case), or a 400 as Consul words it. */
function bodyKind(raw: unknown): ConfigEntryKind {
  const kind = raw && typeof raw === 'object' ? Object.entries(raw as D).find(([k]) => fold(k) === 'kind')?.[1] : undefined;
  if (typeof kind !== 'string' || !isConfigEntryKind(kind)) {
    throw new BadRequestError(`Bad request: Request decoding failed: invalid config entry kind: ${String(kind ?? '')}`);
  }
  return kind;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : 0);
const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as D) : undefined);
/** Keeps only the fields that are set (Go's omitempty). */
const set = (o: D): D => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v !== 0 && v !== false && v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)));
const mesh = (v: unknown) => set({ Mode: str(obj(v)?.Mode) });
const expose = (v: unknown) => {
  const e = obj(v) ?? {};
  const paths = ((e.Paths as D[] | undefined) ?? []).map((p) => ({ ...set({ ListenerPort: int(p.ListenerPort), Path: str(p.Path), LocalPathPort: int(p.LocalPathPort), Protocol: str(p.Protocol) }), ParsedFromCheck: p.ParsedFromCheck === true }));
  return set({ Checks: e.Checks === true, Paths: paths });
};

/** A config entry body decoded into the stored shape, with Consul's defaults; throws Consul's error (400 or 500) for what it refuses. */
export function decodeConfigEntry(raw: unknown): Unindexed {
  const kind = bodyKind(raw);
  const d = canonical(raw, SHAPES[kind]);
  const name = str(d.Name);
  switch (kind) {
    case 'service-defaults':
      if (!name) throw new InvalidWriteError('serviceName is required');
      return { Kind: kind, Name: name, ...set({ Protocol: str(d.Protocol) }), MeshGateway: mesh(d.MeshGateway), Expose: expose(d.Expose), ...set({ ExternalSNI: str(d.ExternalSNI) }) };
    case 'proxy-defaults':
      // Consul keeps one proxy-defaults entry, named global, whatever the body names it.
      return { Kind: kind, Name: 'global', Config: obj(d.Config) ?? null, MeshGateway: mesh(d.MeshGateway), Expose: expose(d.Expose) };
    case 'ingress-gateway': {
      if (!name) throw new InvalidWriteError('failed inserting config entry: object missing primary index');
      const listeners = ((d.Listeners as D[] | undefined) ?? []).map((l) => ({
        Port: int(l.Port),
        Protocol: str(l.Protocol) || 'tcp',
        Services: ((l.Services as D[] | undefined) ?? []).map((s) => ({ Name: str(s.Name), Hosts: Array.isArray(s.Hosts) ? s.Hosts : null })),
      }));
      return { Kind: kind, Name: name, TLS: { Enabled: obj(d.TLS)?.Enabled === true }, Listeners: listeners };
    }
    case 'terminating-gateway': {
      if (!name) throw new InvalidWriteError('serviceName is required');
      const services = ((d.Services as D[] | undefined) ?? []).map((s) => ({ Name: str(s.Name), ...set({ CAFile: str(s.CAFile), CertFile: str(s.CertFile), KeyFile: str(s.KeyFile), SNI: str(s.SNI) }) }));
      return { Kind: kind, Name: name, ...(services.length > 0 ? { Services: services } : {}) };
    }
  }
}
