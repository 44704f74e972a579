import { randomUUID } from 'node:crypto';
import type { Logger } from 'winston';
import type { WatchHub, WatchSet } from '../state/watch-set.js';
import { EventRing } from './event-ring.js';
import { compileFilter, eventIndex, validateUserEvent, type UserEvent, type UserEventParams } from './user-event.js';

/** The watch key a new event fires; event list reads wait on it. */
export const EVENT_WATCH_KEY = 'event';

/** The answer of an event list: the events, oldest first, and the index derived from the newest. */
export interface EventList {
  events: UserEvent[];
  index: bigint;
}

/** What the filters of an event are matched against: this agent's node and its own services. */
export interface EventTarget {
  node: string;
  services(): ReadonlyArray<{ Service: string; Tags: readonly string[] }>;
}

/**
 * The user events of one agent. Consul spreads events by gossip and each agent keeps the last
 * 256 it accepted; Praetor has no gossip, so a fired event is delivered to this agent only,
 * and only if its node/service/tag filters match this agent (as a Consul agent decides).
 * Nothing is persisted. Each delivered event fires EVENT_WATCH_KEY on the store's watch hub,
 * so blocking event lists wait in the one blocking-query loop and wake for events only.
 */
export class UserEvents {
  private readonly ring = new EventRing<UserEvent>();
  /** This agent's Lamport clock for events: every fired event ticks it, delivered or not. */
  private clock = 0;

  constructor(
    private readonly watches: WatchHub,
    private readonly target: EventTarget,
    private readonly log: Logger,
  ) {}

  /**
   * Validates and fires an event; returns it as Consul answers a fire (LTime 0: the time is
   * stamped on delivery). Throws InvalidEventError for what Consul refuses.
   */
  fire(p: UserEventParams): UserEvent {
    validateUserEvent(p);
    const event: UserEvent = {
      ID: randomUUID(),
      Name: p.Name,
      Payload: p.Payload,
      NodeFilter: p.NodeFilter,
      ServiceFilter: p.ServiceFilter,
      TagFilter: p.TagFilter,
      Version: 1,
      LTime: 0,
    };
    this.log.debug('user event fired', { event: event.Name });
    this.deliver(event);
    return event;
  }

  private deliver(event: UserEvent): void {
    const ltime = ++this.clock;
    if (!this.accepts(event)) {
      this.log.debug('user event not for this agent: its filters do not match', { event_name: event.Name, event_id: event.ID });
      return;
    }
    this.ring.add({ ...event, LTime: ltime });
    this.log.debug('new event', { event_name: event.Name, event_id: event.ID });
    this.watches.fire([EVENT_WATCH_KEY]);
  }

  /** Consul's rule: the node filter matches the node name; the service filter some local service, whose tags the tag filter then must match. */
  accepts(e: Pick<UserEvent, 'NodeFilter' | 'ServiceFilter' | 'TagFilter'>): boolean {
    const node = compileFilter('node', e.NodeFilter);
    if (node && !node.test(this.target.node)) return false;
    const service = compileFilter('service', e.ServiceFilter);
    if (!service) return true;
    const tag = compileFilter('tag', e.TagFilter);
    return this.target.services().some((s) => service.test(s.Service) && (!tag || s.Tags.some((t) => tag.test(t))));
  }

  /**
   * The events kept, oldest first, those named `name` only when given; the index is derived
   * from the newest one's ID (1 when there is none, so clients never see 0).
   */
  list(ws: WatchSet, name = ''): EventList {
    ws.add(EVENT_WATCH_KEY, EVENT_WATCH_KEY);
    const all = this.ring.toArray();
    const events = name === '' ? all : all.filter((e) => e.Name === name);
    const last = events.at(-1);
    return { events, index: last ? eventIndex(last.ID) || 1n : 1n };
  }
}
