import { goHashHex, goJson, type GoValue } from '../internal/go-hashstructure.js';
import { proxyConfig, showsProxy, type ConnectProxyConfig } from '../structs/connect.js';
import type { Service } from '../structs/service.js';

const str = (s: string | undefined): GoValue => ({ string: s ?? '' });
const strMap = (m: Record<string, string> | undefined): GoValue => ({ map: Object.entries(m ?? {}).map(([k, v]) => [str(k), str(v)]) });

const mesh = (m: { Mode: string }): GoValue => ({ struct: 'MeshGatewayConfig', fields: [['Mode', str(m.Mode)]] });
const config = (c: Record<string, unknown> | null): GoValue => (c ? goJson(c) : { map: [] });

/** The agent's Proxy (api.AgentServiceConnectProxyConfig) as hashstructure sees it. */
function proxyValue(p: ConnectProxyConfig): GoValue {
  return {
    struct: 'AgentServiceConnectProxyConfig',
    fields: [
      ['DestinationServiceName', str(p.DestinationServiceName)],
      ['DestinationServiceID', str(p.DestinationServiceID)],
      ['LocalServiceAddress', str(p.LocalServiceAddress)],
      ['LocalServicePort', { int64: p.LocalServicePort }],
      ['Config', config(p.Config)],
      [
        'Upstreams',
        {
          slice: p.Upstreams.map((u) => ({
            struct: 'Upstream',
            fields: [
              ['DestinationType', str(u.DestinationType)],
              ['DestinationNamespace', str(u.DestinationNamespace)],
              ['DestinationName', str(u.DestinationName)],
              ['Datacenter', str(u.Datacenter)],
              ['LocalBindAddress', str(u.LocalBindAddress)],
              ['LocalBindPort', { int64: u.LocalBindPort }],
              ['Config', config(u.Config)],
              ['MeshGateway', mesh(u.MeshGateway)],
            ],
          })),
        },
      ],
      ['MeshGateway', mesh(p.MeshGateway)],
      [
        'Expose',
        {
          struct: 'ExposeConfig',
          fields: [
            ['Checks', { bool: p.Expose.Checks }],
            [
              'Paths',
              {
                slice: p.Expose.Paths.map((x) => ({
                  struct: 'ExposePath',
                  fields: [
                    ['ListenerPort', { int64: x.ListenerPort }],
                    ['Path', str(x.Path)],
                    ['LocalPathPort', { int64: x.LocalPathPort }],
                    ['Protocol', str(x.Protocol)],
                    ['ParsedFromCheck', { bool: x.ParsedFromCheck }],
                  ],
                })),
              },
            ],
          ],
        },
      ],
    ],
  };
}

/**
 * The ContentHash of /v1/agent/service/:id, as Consul 1.8.7 computes it: the hashstructure hash
 * of its api.AgentService answer (fields in the struct's order; ContentHash empty while hashing,
 * Namespace ignored; Proxy only for proxies and gateways, Connect only when Native, as the agent
 * shows them).
 */
export function agentServiceContentHash(s: Service): string {
  const tagged = Object.entries(s.TaggedAddresses ?? {}).map(([k, a]): [GoValue, GoValue] => [
    str(k),
    { struct: 'ServiceAddress', fields: [['Address', str(a.Address)], ['Port', { int64: a.Port }]] },
  ]);
  return goHashHex({
    struct: 'AgentService',
    fields: [
      ['Kind', str(s.Kind)],
      ['ID', str(s.ID)],
      ['Service', str(s.Service)],
      ['Tags', { slice: s.Tags.map(str) }],
      ['Meta', strMap(s.Meta)],
      ['Port', { int64: s.Port }],
      ['Address', str(s.Address)],
      ['TaggedAddresses', { map: tagged }],
      ['Weights', { struct: 'AgentWeights', fields: [['Passing', { int64: s.Weights.Passing }], ['Warning', { int64: s.Weights.Warning }]] }],
      ['EnableTagOverride', { bool: s.EnableTagOverride }],
      ['CreateIndex', { uint64: 0 }],
      ['ModifyIndex', { uint64: 0 }],
      ['ContentHash', str('')],
      ['Proxy', showsProxy(s.Kind) ? proxyValue(s.Proxy ?? proxyConfig(undefined, true)) : { nil: true }],
      ['Connect', s.Connect?.Native ? { struct: 'AgentServiceConnect', fields: [['Native', { bool: true }], ['SidecarService', { nil: true }]] } : { nil: true }],
    ],
  });
}
