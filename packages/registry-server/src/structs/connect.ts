/**
 * The service-mesh fields of a service, kept as data (Praetor runs no proxy, issues no
 * certificate): Kind, Proxy and Connect, stored in the shape of Consul's structs and shown in
 * the catalog's shape or the agent's (which leaves out more empty fields).
 */
export const SERVICE_KINDS = ['connect-proxy', 'mesh-gateway', 'terminating-gateway', 'ingress-gateway'] as const;

export interface MeshGatewayConfig {
  Mode: string;
}

export interface ExposePath {
  ListenerPort: number;
  Path: string;
  LocalPathPort: number;
  Protocol: string;
  ParsedFromCheck: boolean;
}

export interface Upstream {
  DestinationType: string;
  DestinationNamespace: string;
  DestinationName: string;
  Datacenter: string;
  LocalBindAddress: string;
  LocalBindPort: number;
  Config: Record<string, unknown> | null;
  MeshGateway: MeshGatewayConfig;
}

export interface ConnectProxyConfig {
  DestinationServiceName: string;
  DestinationServiceID: string;
  LocalServiceAddress: string;
  LocalServicePort: number;
  Config: Record<string, unknown> | null;
  Upstreams: Upstream[];
  MeshGateway: MeshGatewayConfig;
  Expose: { Checks: boolean; Paths: ExposePath[] };
}

export interface ServiceConnect {
  Native: boolean;
}

type D = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const int = (v: unknown) => (typeof v === 'number' ? v : 0);
const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as D) : null);
const mesh = (v: unknown): MeshGatewayConfig => ({ Mode: str(obj(v)?.Mode) });

/**
 * A decoded Proxy body in the stored shape. On the agent path an upstream's DestinationType
 * defaults to `service`, as Consul's agent does; the catalog keeps what was sent.
 */
export function proxyConfig(raw: unknown, agentPath: boolean): ConnectProxyConfig {
  const p = obj(raw) ?? {};
  const expose = obj(p.Expose) ?? {};
  return {
    DestinationServiceName: str(p.DestinationServiceName),
    DestinationServiceID: str(p.DestinationServiceID),
    LocalServiceAddress: str(p.LocalServiceAddress),
    LocalServicePort: int(p.LocalServicePort),
    Config: obj(p.Config),
    Upstreams: ((p.Upstreams as unknown[] | undefined) ?? []).map((u) => {
      const d = obj(u) ?? {};
      return {
        DestinationType: str(d.DestinationType) || (agentPath ? 'service' : ''),
        DestinationNamespace: str(d.DestinationNamespace),
        DestinationName: str(d.DestinationName),
        Datacenter: str(d.Datacenter),
        LocalBindAddress: str(d.LocalBindAddress),
        LocalBindPort: int(d.LocalBindPort),
        Config: obj(d.Config),
        MeshGateway: mesh(d.MeshGateway),
      };
    }),
    MeshGateway: mesh(p.MeshGateway),
    Expose: {
      Checks: expose.Checks === true,
      Paths: ((expose.Paths as unknown[] | undefined) ?? []).map((x) => {
        const d = obj(x) ?? {};
        return { ListenerPort: int(d.ListenerPort), Path: str(d.Path), LocalPathPort: int(d.LocalPathPort), Protocol: str(d.Protocol), ParsedFromCheck: d.ParsedFromCheck === true };
      }),
    },
  };
}

/** Copies the fields of `from` that are not empty (Go's omitempty), in order. */
function nonEmpty(from: D, keep: readonly string[] = []): D {
  const out: D = {};
  for (const [k, v] of Object.entries(from)) {
    const empty = v === undefined || v === '' || v === 0 || v === false || v === null || (Array.isArray(v) && v.length === 0);
    if (!empty || keep.includes(k)) out[k] = v;
  }
  return out;
}

const meshView = (m: MeshGatewayConfig | undefined) => nonEmpty({ Mode: m?.Mode ?? '' });
const exposeView = (p: ConnectProxyConfig | undefined) =>
  nonEmpty({ Checks: p?.Expose.Checks ?? false, Paths: (p?.Expose.Paths ?? []).map((x) => nonEmpty({ ...x }, ['ParsedFromCheck'])) });

/**
 * Proxy as the catalog shows it (structs.ConnectProxyConfig): empty fields left out, but an
 * upstream keeps DestinationName, Datacenter, LocalBindPort and Config (null when unset).
 */
export function catalogProxyView(p: ConnectProxyConfig | undefined): D {
  return {
    ...nonEmpty({
      DestinationServiceName: p?.DestinationServiceName ?? '',
      DestinationServiceID: p?.DestinationServiceID ?? '',
      LocalServiceAddress: p?.LocalServiceAddress ?? '',
      LocalServicePort: p?.LocalServicePort ?? 0,
      Config: p?.Config && Object.keys(p.Config).length > 0 ? p.Config : null,
      Upstreams: (p?.Upstreams ?? []).map((u) => ({ ...nonEmpty({ ...u, MeshGateway: undefined }, ['DestinationName', 'Datacenter', 'LocalBindPort', 'Config']), MeshGateway: meshView(u.MeshGateway) })),
    }),
    MeshGateway: meshView(p?.MeshGateway),
    Expose: exposeView(p),
  };
}

/** Proxy as the agent shows it (api.AgentServiceConnectProxyConfig): every empty field left out but DestinationName. */
export function agentProxyView(p: ConnectProxyConfig): D {
  return {
    ...nonEmpty({
      DestinationServiceName: p.DestinationServiceName,
      DestinationServiceID: p.DestinationServiceID,
      LocalServiceAddress: p.LocalServiceAddress,
      LocalServicePort: p.LocalServicePort,
      Config: p.Config && Object.keys(p.Config).length > 0 ? p.Config : null,
      Upstreams: p.Upstreams.map((u) => ({
        ...nonEmpty({ ...u, MeshGateway: undefined, Config: u.Config && Object.keys(u.Config).length > 0 ? u.Config : null }, ['DestinationName']),
        MeshGateway: meshView(u.MeshGateway),
      })),
    }),
    MeshGateway: meshView(p.MeshGateway),
    Expose: exposeView(p),
  };
}

/** Whether the agent shows a service's Proxy: for proxies and gateways, as Consul's agent. */
export function showsProxy(kind: string | undefined): boolean {
  return kind !== undefined && (SERVICE_KINDS as readonly string[]).includes(kind);
}
