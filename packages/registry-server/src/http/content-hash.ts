import { goHashHex, type GoValue } from '../internal/go-hashstructure.js';
import type { Service } from '../structs/service.js';

const str = (s: string | undefined): GoValue => ({ string: s ?? '' });
const strMap = (m: Record<string, string> | undefined): GoValue => ({ map: Object.entries(m ?? {}).map(([k, v]) => [str(k), str(v)]) });

/**
 * The ContentHash of /v1/agent/service/:id, as Consul 1.8.7 computes it: the hashstructure hash
 * of its api.AgentService answer (fields in the struct's order; ContentHash empty while hashing,
 * Namespace ignored; Proxy and Connect nil for a plain service).
 */
export function agentServiceContentHash(s: Service): string {
  const tagged = Object.entries(s.TaggedAddresses ?? {}).map(([k, a]): [GoValue, GoValue] => [
    str(k),
    { struct: 'ServiceAddress', fields: [['Address', str(a.Address)], ['Port', { int64: a.Port }]] },
  ]);
  return goHashHex({
    struct: 'AgentService',
    fields: [
      ['Kind', str('')],
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
      ['Proxy', { nil: true }],
      ['Connect', { nil: true }],
    ],
  });
}
