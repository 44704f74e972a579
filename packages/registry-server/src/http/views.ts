import type { HealthCheck } from '../structs/check.js';
import type { Node } from '../structs/node.js';
import { agentProxyView, catalogProxyView, proxyConfig, showsProxy } from '../structs/connect.js';
import type { Service } from '../structs/service.js';

/** The JSON shapes Consul answers with, built from stored entities (field order as Consul's). */

export function nodeView(n: Node): Record<string, unknown> {
  return {
    ID: n.ID,
    Node: n.Node,
    Address: n.Address,
    Datacenter: n.Datacenter,
    TaggedAddresses: n.TaggedAddresses,
    Meta: n.Meta,
    CreateIndex: n.CreateIndex,
    ModifyIndex: n.ModifyIndex,
  };
}

const connectView = (s: Service) => (s.Connect?.Native ? { Native: true } : {});

/** A service as /v1/health/service and /v1/catalog/node show it. */
export function serviceView(s: Service): Record<string, unknown> {
  const out: Record<string, unknown> = s.Kind ? { Kind: s.Kind } : {};
  Object.assign(out, { ID: s.ID, Service: s.Service, Tags: s.Tags, Address: s.Address });
  if (s.TaggedAddresses) out.TaggedAddresses = s.TaggedAddresses;
  out.Meta = s.Meta;
  out.Port = s.Port;
  out.Weights = s.Weights;
  out.EnableTagOverride = s.EnableTagOverride;
  out.Proxy = catalogProxyView(s.Proxy);
  out.Connect = connectView(s);
  out.CreateIndex = s.CreateIndex;
  out.ModifyIndex = s.ModifyIndex;
  return out;
}

/** A service as /v1/agent/services shows it. */
export function agentServiceView(s: Service): Record<string, unknown> {
  const out: Record<string, unknown> = s.Kind ? { Kind: s.Kind } : {};
  Object.assign(out, { ID: s.ID, Service: s.Service, Tags: s.Tags, Meta: s.Meta, Port: s.Port, Address: s.Address });
  if (s.TaggedAddresses) out.TaggedAddresses = s.TaggedAddresses;
  out.Weights = s.Weights;
  out.EnableTagOverride = s.EnableTagOverride;
  if (showsProxy(s.Kind)) out.Proxy = agentProxyView(s.Proxy ?? proxyConfig(undefined, true));
  if (s.Connect?.Native) out.Connect = { Native: true };
  return out;
}

/** A row of /v1/catalog/service/:name: the node's fields and the instance's, flattened. */
export function catalogServiceView(n: Node, s: Service): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ID: n.ID,
    Node: n.Node,
    Address: n.Address,
    Datacenter: n.Datacenter,
    TaggedAddresses: n.TaggedAddresses,
    NodeMeta: n.Meta,
    ServiceKind: s.Kind ?? '',
    ServiceID: s.ID,
    ServiceName: s.Service,
    ServiceTags: s.Tags,
    ServiceAddress: s.Address,
  };
  if (s.TaggedAddresses) out.ServiceTaggedAddresses = s.TaggedAddresses;
  out.ServiceWeights = s.Weights;
  out.ServiceMeta = s.Meta;
  out.ServicePort = s.Port;
  out.ServiceEnableTagOverride = s.EnableTagOverride;
  out.ServiceProxy = catalogProxyView(s.Proxy);
  out.ServiceConnect = connectView(s);
  out.CreateIndex = s.CreateIndex;
  out.ModifyIndex = s.ModifyIndex;
  return out;
}

export function checkView(c: HealthCheck): Record<string, unknown> {
  return {
    Node: c.Node,
    CheckID: c.CheckID,
    Name: c.Name,
    Status: c.Status,
    Notes: c.Notes,
    Output: c.Output,
    ServiceID: c.ServiceID,
    ServiceName: c.ServiceName,
    ServiceTags: c.ServiceTags,
    Type: c.Type,
    Definition: c.Definition,
    CreateIndex: c.CreateIndex,
    ModifyIndex: c.ModifyIndex,
  };
}
