import { MemberLimitError, PermissionDeniedError } from '../errors.js';
import type { StateStore } from '../state/state-store.js';
import { SERF_CHECK_ID } from '../structs/check.js';
import type { Announcement, Member } from './member.js';

/**
 * What an announcement (or a joined agent's answer) may change. The shared key says only that
 * the sender belongs to the cluster, so each announcement is also held to "it describes its
 * sender and nobody else":
 * - a live member stays where it is: an announcement under its name from another HTTP address,
 *   or with another node ID, is refused until that member has failed or left (a restarted
 *   agent on a new port is accepted once its old incarnation has failed);
 * - a new member may not claim a catalog node that membership does not manage (one
 *   registered through the catalog or agent API, which has no serfHealth check), nor the HTTP
 *   address of another live member;
 * - a new member past the bound is refused.
 * Each refusal throws (PermissionDeniedError, 403; MemberLimitError, 503) and changes nothing.
 */
export function checkAdmission(
  a: Announcement,
  url: string,
  members: ReadonlyMap<string, Member>,
  store: StateStore,
  limit: number,
): void {
  const old = members.get(a.Name);
  if (old && old.status === 'alive') {
    if (old.id && a.ID && old.id !== a.ID) {
      throw new PermissionDeniedError(
        `node ${JSON.stringify(a.Name)} is a live member with node ID ${old.id}, not ${a.ID}: an announcement may change only the agent that sends it`,
      );
    }
    if (old.url !== url) {
      throw new PermissionDeniedError(
        `member ${JSON.stringify(a.Name)} is alive at ${old.url}; an announcement cannot move it to ${url} (it can once that member has failed or left)`,
      );
    }
    return;
  }
  if (!old || old.status === 'left') {
    const node = store.catalog.nodes.get(a.Name);
    if (node && !store.catalog.getCheck(a.Name, SERF_CHECK_ID)) {
      throw new PermissionDeniedError(
        `node ${JSON.stringify(a.Name)} is in the catalog and is not a cluster member (it was registered through the catalog or agent API); an agent with that -node name cannot join`,
      );
    }
  }
  for (const m of members.values()) {
    if (m.name !== a.Name && m.status === 'alive' && m.url === url) {
      throw new PermissionDeniedError(`${url} is the HTTP address of live member ${JSON.stringify(m.name)}; an announcement cannot claim it for ${JSON.stringify(a.Name)}`);
    }
  }
  if (!old && members.size >= limit) throw new MemberLimitError(limit);
}

/** A `left` notice is accepted only from where the member lives: it cannot make another member leave. */
export function checkLeaveNotice(a: Announcement, url: string, old: Member): void {
  if (old.url !== url) {
    throw new PermissionDeniedError(`member ${JSON.stringify(a.Name)} lives at ${old.url}; a leave notice from ${url} cannot make it leave`);
  }
}
