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
}

export const DEFAULT_WEIGHTS: Weights = Object.freeze({ Passing: 1, Warning: 1 }) as Weights;
