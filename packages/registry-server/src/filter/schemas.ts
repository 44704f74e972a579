import { BOOL, INT, STRING, listOf, mapOf, struct } from './schema.js';

/**
 * The selectors of each filtered endpoint, as Consul 1.8 exposes them (checked one by one
 * against a Consul 1.8.7 agent): the fields of the items a client sees, minus what Consul keeps
 * out of filters (CreateIndex/ModifyIndex, a check's Definition, Proxy.Config, SocketPath,
 * namespaces). Praetor has no service mesh, so the Proxy and Connect selectors are accepted and
 * always see empty values.
 */

const WEIGHTS = struct({ Passing: INT, Warning: INT });
const SERVICE_ADDRESS = struct({ Address: STRING, Port: INT });
const MESH_GATEWAY = struct({ Mode: STRING });

const PROXY = struct({
  DestinationServiceName: STRING,
  DestinationServiceID: STRING,
  LocalServiceAddress: STRING,
  LocalServicePort: INT,
  Upstreams: listOf(
    struct({
      DestinationType: STRING,
      DestinationNamespace: STRING,
      DestinationName: STRING,
      Datacenter: STRING,
      LocalBindAddress: STRING,
      LocalBindPort: INT,
      MeshGateway: MESH_GATEWAY,
    }),
  ),
  MeshGateway: MESH_GATEWAY,
  Expose: struct({
    Checks: BOOL,
    Paths: listOf(struct({ ListenerPort: INT, Path: STRING, LocalPathPort: INT, Protocol: STRING, ParsedFromCheck: BOOL })),
  }),
});

const CONNECT = struct({ Native: BOOL });

/** A node: /v1/catalog/nodes, and `Node` in /v1/health/service. */
export const NODE_FIELDS = struct({
  ID: STRING,
  Node: STRING,
  Address: STRING,
  Datacenter: STRING,
  TaggedAddresses: mapOf(STRING),
  Meta: mapOf(STRING),
});

/** A service instance: /v1/agent/services, /v1/catalog/node(-services)/:node, `Service` in /v1/health/service. */
export const SERVICE_FIELDS = struct({
  Kind: STRING,
  ID: STRING,
  Service: STRING,
  Tags: listOf(STRING),
  Address: STRING,
  TaggedAddresses: mapOf(SERVICE_ADDRESS),
  Meta: mapOf(STRING),
  Port: INT,
  Weights: WEIGHTS,
  EnableTagOverride: BOOL,
  Proxy: PROXY,
  Connect: CONNECT,
});

/** A health check: /v1/agent/checks and /v1/health/{node,checks,state}. */
export const CHECK_FIELDS = struct({
  Node: STRING,
  CheckID: STRING,
  Name: STRING,
  Status: STRING,
  Notes: STRING,
  Output: STRING,
  ServiceID: STRING,
  ServiceName: STRING,
  ServiceTags: listOf(STRING),
  Type: STRING,
});

/** A row of /v1/catalog/service/:name (node and instance flattened); also what /v1/catalog/services filters. */
export const SERVICE_NODE_FIELDS = struct({
  ID: STRING,
  Node: STRING,
  Address: STRING,
  Datacenter: STRING,
  TaggedAddresses: mapOf(STRING),
  NodeMeta: mapOf(STRING),
  ServiceKind: STRING,
  ServiceID: STRING,
  ServiceName: STRING,
  ServiceTags: listOf(STRING),
  ServiceAddress: STRING,
  ServiceTaggedAddresses: mapOf(SERVICE_ADDRESS),
  ServiceWeights: WEIGHTS,
  ServiceMeta: mapOf(STRING),
  ServicePort: INT,
  ServiceEnableTagOverride: BOOL,
  ServiceProxy: PROXY,
  ServiceConnect: CONNECT,
});

/** An entry of /v1/health/service/:name; `Checks.Status == passing` holds when any check passes. */
export const SERVICE_ENTRY_FIELDS = struct({ Node: NODE_FIELDS, Service: SERVICE_FIELDS, Checks: listOf(CHECK_FIELDS) });
