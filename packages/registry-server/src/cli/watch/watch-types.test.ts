import { expect } from 'chai';
import { watchQuery, type WatchParams } from './watch-types.js';

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
});
