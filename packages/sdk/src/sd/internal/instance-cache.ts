import type { InstancerEvent, Listener } from '../event.js';
import { byKey, type Instance } from '../instance.js';

function sameInstances(a: Instance[], b: Instance[]): boolean {
  return a.length === b.length && a.every((x, i) => JSON.stringify(x) === JSON.stringify(b[i]));
}

function copy(e: InstancerEvent): InstancerEvent {
  const out: InstancerEvent = { instances: e.instances.map((i) => ({ ...i, tags: [...i.tags], meta: { ...i.meta }, weights: { ...i.weights } })) };
  if (e.error) out.error = e.error;
  return out;
}

/**
 * The state an Instancer publishes: sorts, drops events equal to the last one, sends the
 * current state to a new listener, and gives each listener its own copy. Listeners are always
 * called from a later tick, never synchronously from register() or update().
 */
export class InstanceCache {
  private state: InstancerEvent | null = null;
  private readonly listeners = new Set<Listener>();

  update(event: InstancerEvent): void {
    const next: InstancerEvent = { instances: [...event.instances].sort(byKey) };
    if (event.error) next.error = event.error;
    const prev = this.state;
    if (prev && prev.error === next.error && sameInstances(prev.instances, next.instances)) return;
    this.state = next;
    for (const l of this.listeners) this.send(l, next);
  }

  /** The last published state (a copy), or null before the first. */
  current(): InstancerEvent | null {
    return this.state ? copy(this.state) : null;
  }

  register(listener: Listener): void {
    this.listeners.add(listener);
    if (this.state) this.send(listener, this.state);
  }

  deregister(listener: Listener): void {
    this.listeners.delete(listener);
  }

  private send(listener: Listener, event: InstancerEvent): void {
    const e = copy(event);
    queueMicrotask(() => {
      if (this.listeners.has(listener)) listener(e);
    });
  }
}
