/**
 * One discovered service instance. go-kit reduces instances to "host:port" strings; Praetor
 * keeps what the registry knows so balancers can honour weights, tags and meta.
 */
export interface Instance {
  /** "host:port" (IPv6 hosts in brackets): the identity endpoints are keyed and sorted by. */
  key: string;
  address: string;
  port: number;
  /** The registry's service ID and the node it runs on. */
  id: string;
  node: string;
  service: string;
  tags: string[];
  meta: Record<string, string>;
  weights: { passing: number; warning: number };
  /** Worst status of the instance's checks. */
  status: 'passing' | 'warning' | 'critical';
}

/** Orders instances by key; the order every event and endpoint list uses. */
export function byKey(a: Instance, b: Instance): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** host:port, with IPv6 hosts in brackets. */
export function instanceKey(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** A minimal instance for tests and fixed lists: `instance('10.0.0.1:80')`. */
export function instance(key: string, extra: Partial<Instance> = {}): Instance {
  const i = key.lastIndexOf(':');
  const address = key.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(key.slice(i + 1));
  return { key, address, port, id: key, node: '', service: '', tags: [], meta: {}, weights: { passing: 1, warning: 1 }, status: 'passing', ...extra };
}
