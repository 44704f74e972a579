import { expect } from 'chai';
import http from 'node:http';
import { ApiClient } from '../api-client.js';
import { eventIdToIndex, watchQuery, type WatchParams } from './watch-types.js';

describe('watch types', () => {
  it('checks each type\'s parameters as Consul does', () => {
    const bad: Array<[string, WatchParams, string]> = [
      ['bogus', {}, 'Unsupported watch type: bogus'],
      ['key', {}, 'Must specify a single key to watch'],
      ['key', { key: 'a', prefix: 'b' }, 'Invalid parameters: [prefix]'],
      ['keyprefix', { key: 'a' }, 'Must specify a single prefix to watch'],
      ['services', { service: 'x', state: 'any' }, 'Invalid parameters: [service state]'],
      ['nodes', { tag: ['t'] }, 'Invalid parameters: [tag]'],
      ['service', { tag: ['t'] }, 'Must specify a single service to watch'],
      ['checks', { service: 'a', state: 'passing' }, 'Cannot specify service and state'],
      ['event', { key: 'k' }, 'Invalid parameters: [key]'],
    ];
    for (const [type, params, message] of bad) expect(() => watchQuery(type, params), `${type} ${JSON.stringify(params)}`).to.throw(message);
    const good: Array<[string, WatchParams, boolean]> = [
      ['key', { key: 'a' }, true],
      ['keyprefix', { prefix: 'a/' }, true],
      ['services', {}, true],
      ['nodes', {}, true],
      ['service', { service: 'web', tag: ['a', 'b'], passingonly: true }, true],
      ['checks', {}, true],
      ['checks', { state: 'critical' }, true],
      ['event', { name: 'deploy' }, false],
    ];
    for (const [type, params, monotonic] of good) expect(watchQuery(type, params).monotonic, type).to.equal(monotonic);
  });

  it('turns an event ID into Consul\'s index: its two halves XORed', () => {
    expect(eventIdToIndex('5497e7cb-fdf2-534f-3e73-f193c86c6fa5')).to.equal(7702305830822886634n);
    expect(eventIdToIndex('not-a-uuid')).to.equal(0n);
  });

  it('hands an event watch only the events after the last one it saw', async () => {
    // The event API lives on another branch; a stand-in answers /v1/event/list as Consul does:
    // every event kept, X-Consul-Index the index of the last one's ID.
    const ids = ['5497e7cb-fdf2-534f-3e73-f193c86c6fa5', '0d6e4d5a-5a1b-4c47-9a0f-3c2b1a090807', 'aa000000-0000-0000-0000-0000000000bb'];
    let events = ids.slice(0, 2).map((ID) => ({ ID, Name: 'deploy' }));
    const asked: string[] = [];
    const server = http.createServer((req, res) => {
      asked.push(req.url!);
      res.writeHead(200, { 'X-Consul-Index': eventIdToIndex(events.at(-1)!.ID).toString(), 'Content-Type': 'application/json' });
      res.end(JSON.stringify(events));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const client = new ApiClient({ address: `127.0.0.1:${(server.address() as { port: number }).port}` });
      const q = watchQuery('event', { name: 'deploy' });
      const signal = new AbortController().signal;
      const first = await q.fetch(client, 0n, signal);
      expect(first.value).to.deep.equal(events);
      expect(first.index).to.equal(eventIdToIndex(ids[1]!));
      events = ids.map((ID) => ({ ID, Name: 'deploy' }));
      const next = await q.fetch(client, first.index, signal);
      expect(next.value).to.deep.equal([{ ID: ids[2], Name: 'deploy' }]);
      expect(asked).to.deep.equal(['/v1/event/list?name=deploy', `/v1/event/list?name=deploy&index=${first.index}`]);
    } finally {
      server.close();
    }
  });
});
