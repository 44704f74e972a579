import type { Session } from '../structs/session.js';

/** Restarts a session's TTL (PUT /v1/session/renew); undefined when the session does not exist. */
export interface SessionRenewer {
  renew(id: string): Session | undefined | Promise<Session | undefined>;
}
