import type { Cluster, ServerInfo } from '../backend/cluster.js';
import type { Leadership } from '../leader/leadership.js';
import type { ClientLink } from './client-link.js';

/** A client never leads and runs no leader duties. */
const NEVER_LEADS: Leadership = { isLeader: () => false, add: () => undefined, close: () => undefined };

/** The servers as a client agent knows them, for the few answers it gives itself (agent/self). */
export class ClientCluster implements Cluster {
  readonly leadership = NEVER_LEADS;

  constructor(private readonly link: ClientLink) {}

  leader(): string {
    return '';
  }

  servers(): ServerInfo[] {
    return this.link.pool.list().map((url) => ({ name: '', addr: '', http: url.slice('http://'.length) }));
  }

  knownLeader(): boolean {
    return this.link.heartbeats.attached() !== undefined;
  }

  lastContact(): number {
    return 0;
  }
}
