/**
 * Whether the agent answers: every live list reports each attempt here, and the layout shows a
 * banner while the last attempts failed to reach the agent. Listeners are called on changes only.
 */
type Listener = (lost: boolean) => void;

let lost = false;
const listeners = new Set<Listener>();

export function connectionLost(): boolean {
  return lost;
}

export function reportConnection(ok: boolean): void {
  if (lost === !ok) return;
  lost = !ok;
  for (const l of listeners) l(lost);
}

export function onConnectionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
