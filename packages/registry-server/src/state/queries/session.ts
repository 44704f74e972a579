import type { Session } from '../../structs/session.js';
import type { StateStore } from '../state-store.js';
import type { WatchSet } from '../watch-set.js';
import { result, type QueryResult } from './result.js';

/** Session reads watch and report the sessions table's index, as Consul's do. */
function sessions(store: StateStore, ws: WatchSet, pick: (s: StateStore) => Session[]): QueryResult<Session[]> {
  ws.add('sessions', 'sessions');
  return result(store.index.get('sessions'), pick(store));
}

const byId = (a: Session, b: Session) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0);

/** One session, as a list of zero or one. */
export function sessionInfo(store: StateStore, ws: WatchSet, id: string): QueryResult<Session[]> {
  return sessions(store, ws, (s) => {
    const one = s.sessions.get(id);
    return one ? [one] : [];
  });
}

export function sessionList(store: StateStore, ws: WatchSet): QueryResult<Session[]> {
  return sessions(store, ws, (s) => [...s.sessions.byId.values()].sort(byId));
}

export function nodeSessions(store: StateStore, ws: WatchSet, node: string): QueryResult<Session[]> {
  return sessions(store, ws, (s) =>
    s.sessions
      .ofNode(node)
      .map((id) => s.sessions.get(id)!)
      .sort(byId),
  );
}
