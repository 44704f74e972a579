import { expect } from 'chai';
import winston from 'winston';
import { WatchHub, WatchSet } from '../state/watch-set.js';
import { UserEvents } from './user-events.js';

const silent = winston.createLogger({ silent: true });

describe('UserEvents', () => {
  let hub: WatchHub;
  let events: UserEvents;
  const services = [{ Service: 'web', Tags: ['v1', 'blue'] }, { Service: 'db', Tags: [] }];
  beforeEach(() => {
    hub = new WatchHub();
    events = new UserEvents(hub, { node: 'node-a', services: () => services }, silent);
  });

  const fire = (Name: string, f: { NodeFilter?: string; ServiceFilter?: string; TagFilter?: string } = {}) =>
    events.fire({ Name, Payload: null, NodeFilter: '', ServiceFilter: '', TagFilter: '', ...f });

  /** Starts watching the event list; reports whether something fired it since. */
  function watchList(): () => boolean {
    const ws = new WatchSet();
    events.list(ws);
    let fired = false;
    hub.wait(ws, () => (fired = true));
    return () => fired;
  }

  it('answers a fire with LTime 0 and lists delivered events oldest first with increasing LTime', () => {
    const a = fire('a');
    fire('b');
    expect(a.LTime).to.equal(0);
    const { events: listed } = events.list(new WatchSet());
    expect(listed.map((e) => [e.Name, e.LTime])).to.deep.equal([['a', 1], ['b', 2]]);
  });

  it('delivers an event only if its filters match this agent, as a Consul agent decides', () => {
    const table: Array<[string, { NodeFilter?: string; ServiceFilter?: string; TagFilter?: string }, boolean]> = [
      ['no filter', {}, true],
      ['node matches', { NodeFilter: 'node-.' }, true],
      ['node does not match', { NodeFilter: '^other$' }, false],
      ['service matches', { ServiceFilter: 'we' }, true],
      ['service absent', { ServiceFilter: 'cache' }, false],
      ['service and tag match', { ServiceFilter: 'web', TagFilter: 'blu' }, true],
      ['tag on another service', { ServiceFilter: 'db', TagFilter: 'blue' }, false],
      ['node matches, service does not', { NodeFilter: 'node-a', ServiceFilter: 'cache' }, false],
    ];
    for (const [name, filters] of table) fire(name, filters);
    const delivered = events.list(new WatchSet()).events.map((e) => e.Name);
    expect(delivered).to.deep.equal(table.filter(([, , ok]) => ok).map(([n]) => n));
    // The clock ticks for every fired event, delivered or not.
    expect(events.list(new WatchSet()).events.at(-1)!.LTime).to.equal(6);
  });

  it('filters the list by name; the index follows the newest listed event and is 1 when none', () => {
    const a = fire('a');
    fire('b');
    const onlyA = events.list(new WatchSet(), 'a');
    expect(onlyA.events.map((e) => e.ID)).to.deep.equal([a.ID]);
    const ax = BigInt(`0x${a.ID.replace(/-/g, '').slice(0, 16)}`) ^ BigInt(`0x${a.ID.replace(/-/g, '').slice(16)}`);
    expect(onlyA.index).to.equal(ax);
    expect(events.list(new WatchSet(), 'none').index).to.equal(1n);
  });

  it('fires the event watch for a delivered event only', () => {
    const quiet = watchList();
    fire('elsewhere', { NodeFilter: '^other$' });
    hub.fire(['kv', 'kv:x', 'services']);
    expect(quiet(), 'woken by a filtered-out event or another key').to.equal(false);
    fire('here');
    expect(quiet()).to.equal(true);
  });
});
