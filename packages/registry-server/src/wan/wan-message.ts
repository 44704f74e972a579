import type { ServerInfo } from '../backend/cluster.js';
import { decode, object, type Schema } from '../http/decode.js';
import { splitHostPort } from '../membership/member.js';

/**
 * The WAN exchange. Consul's servers gossip over a WAN serf pool; Praetor's servers have no
 * gossip port, so a server tells a server of another datacenter what it knows over HTTP: PUT
 * /v1/internal/praetor/wan with the live servers of its own datacenter (and those of the other
 * datacenters it knows), answered with the same from the other side. The exchange, repeated
 * every few seconds, is also the probe that measures the round-trip time.
 */
export const WAN_PATH = '/v1/internal/praetor/wan';

/** The servers of one datacenter, as the message carries them. */
export interface DatacenterServers {
  Datacenter: string;
  /** Name, `bind:server-port` and HTTP `host:port` of each server. */
  Servers: Array<{ Name: string; Addr: string; HTTP: string }>;
}

/** The body, and the answer, of PUT /v1/internal/praetor/wan: the sender's datacenter first. */
export interface WanMessage {
  Datacenters: DatacenterServers[];
}

const SCHEMA: Schema = object({
  Datacenters: { array: object({ Datacenter: 'string', Servers: { array: object({ Name: 'string', Addr: 'string', HTTP: 'string' }) } }) },
});

/** The most datacenters and servers per datacenter a message may carry (and a pool keeps). */
export const MAX_DATACENTERS = 64;
export const MAX_SERVERS_PER_DATACENTER = 16;

/** Consul's rule for datacenter names, so a name is safe in logs, URLs and DNS. */
const DC_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Decodes and checks a message; throws an Error saying what is wrong. */
export function parseWanMessage(value: unknown): WanMessage {
  const m = decode(value, SCHEMA) as Partial<WanMessage> | null;
  const dcs = m?.Datacenters ?? [];
  if (dcs.length === 0) throw new Error('the WAN message names no datacenter');
  if (dcs.length > MAX_DATACENTERS) throw new Error(`the WAN message names ${dcs.length} datacenters, more than ${MAX_DATACENTERS}`);
  const seen = new Set<string>();
  for (const dc of dcs) {
    if (!dc.Datacenter || !DC_NAME.test(dc.Datacenter)) throw new Error(`invalid datacenter name ${JSON.stringify(dc.Datacenter ?? '')}`);
    if (seen.has(dc.Datacenter)) throw new Error(`datacenter ${dc.Datacenter} is named twice`);
    seen.add(dc.Datacenter);
    dc.Servers ??= [];
    if (dc.Servers.length > MAX_SERVERS_PER_DATACENTER) throw new Error(`datacenter ${dc.Datacenter} has ${dc.Servers.length} servers, more than ${MAX_SERVERS_PER_DATACENTER}`);
    for (const s of dc.Servers) {
      if (!s.Name || !s.HTTP) throw new Error(`a server of ${dc.Datacenter} without Name or HTTP`);
      if (splitHostPort(s.HTTP).port === undefined) throw new Error(`server ${s.Name}: HTTP ${JSON.stringify(s.HTTP)} is not host:port`);
      s.Addr ??= '';
    }
  }
  if (dcs[0]!.Servers.length === 0) throw new Error(`the sender's datacenter ${dcs[0]!.Datacenter} has no servers`);
  return { Datacenters: dcs as DatacenterServers[] };
}

const UNSPECIFIED = new Set(['0.0.0.0', '::', '']);

/**
 * One datacenter's servers for a message. A server listening on every interface (0.0.0.0) is
 * named by the host of its server address, where the other side can reach it.
 */
export function datacenterServers(datacenter: string, servers: readonly ServerInfo[]): DatacenterServers {
  return {
    Datacenter: datacenter,
    Servers: servers.slice(0, MAX_SERVERS_PER_DATACENTER).map((s) => {
      const http = splitHostPort(s.http);
      const host = UNSPECIFIED.has(http.host) ? splitHostPort(s.addr).host : http.host;
      return { Name: s.name, Addr: s.addr, HTTP: `${host.includes(':') ? `[${host}]` : host}:${http.port ?? ''}` };
    }),
  };
}
