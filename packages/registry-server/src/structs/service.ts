import type { ConnectProxyConfig, ServiceConnect } from './connect.js';
import type { Indexed } from './indexed.js';

export interface ServiceAddress {
  Address: string;
  Port: number;
}

export interface Weights {
  Passing: number;
  Warning: number;
}

/** One service instance in the catalog, owned by `Node`. */
export interface Service extends Indexed {
  Node: string;
  ID: string;
  Service: string;
  Tags: string[];
  Address: string;
  TaggedAddresses?: Record<string, ServiceAddress>;
  Meta: Record<string, string>;
  Port: number;
  Weights: Weights;
  EnableTagOverride: boolean;
  /** Service mesh, as data (structs/connect.ts): set only when registered with them. */
  Kind?: string;
  Proxy?: ConnectProxyConfig;
  Connect?: ServiceConnect;
}

export const DEFAULT_WEIGHTS: Weights = Object.freeze({ Passing: 1, Warning: 1 }) as Weights;

/**
 * Why DNS cannot serve a service name, or undefined. The name still works over HTTP; Consul
 * registers it and logs this (same wording) from agent/service/register.
 */
export function serviceNameDnsWarning(name: string): string | undefined {
  if (!/^[A-Za-z0-9-]+$/.test(name)) return 'Service name will not be discoverable via DNS due to invalid characters. Valid characters include all alpha-numerics and dashes.';
  if (name.length > 63) return 'Service name will not be discoverable via DNS due to it being too long. Valid lengths are between 1 and 63 bytes.';
  return undefined;
}
