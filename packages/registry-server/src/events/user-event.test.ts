import { expect } from 'chai';
import { InvalidEventError } from '../errors.js';
import { eventIndex, eventSize, USER_EVENT_SIZE_LIMIT, userEventJson, validateUserEvent, type UserEventParams } from './user-event.js';

const params = (p: Partial<UserEventParams> = {}): UserEventParams => ({ Name: 'deploy', Payload: null, NodeFilter: '', ServiceFilter: '', TagFilter: '', ...p });

describe('user event', () => {
  it('derives the list index from the ID as Consul does: the UUID halves XORed', () => {
    // Seen on Consul 1.8.7: this ID listed last gave X-Consul-Index 10202841214563140264.
    expect(eventIndex('c9ea821a-a228-6b88-447d-441db7e82920')).to.equal(10202841214563140264n);
    expect(eventIndex('not-a-uuid')).to.equal(0n);
  });

  it('refuses a tag filter without a service filter, and filters that are not regexps, with Consul texts', () => {
    const cases: Array<[Partial<UserEventParams>, string]> = [
      [{ TagFilter: 'x' }, 'Cannot provide tag filter without service filter'],
      [{ NodeFilter: '[' }, 'Invalid node filter: error parsing regexp: Unterminated character class: `[`'],
      [{ ServiceFilter: '(' }, 'Invalid service filter: error parsing regexp: '],
      [{ ServiceFilter: 'web', TagFilter: '*' }, 'Invalid tag filter: error parsing regexp: '],
    ];
    for (const [p, text] of cases) {
      expect(() => validateUserEvent(params(p)), text).to.throw(InvalidEventError, text);
    }
    expect(() => validateUserEvent(params({ ServiceFilter: 'web', TagFilter: 'v[0-9]' }))).to.not.throw();
  });

  it('draws the size line where Consul 1.8 does, within a few bytes', () => {
    // Consul 1.8.7 accepted at most 414 payload bytes for an event named "b" and 396 for a 10-character name.
    const payload = (n: number) => Buffer.alloc(n, 'a');
    expect(eventSize(params({ Name: 'b', Payload: payload(414) }))).to.equal(USER_EVENT_SIZE_LIMIT);
    expect(eventSize(params({ Name: 'abcdefghij', Payload: payload(396) }))).to.equal(USER_EVENT_SIZE_LIMIT);
    expect(() => validateUserEvent(params({ Name: 'b', Payload: payload(414) }))).to.not.throw();
    expect(() => validateUserEvent(params({ Name: 'b', Payload: payload(415) }))).to.throw(InvalidEventError, 'exceeds configured limit of 512 bytes');
    // Filters count too.
    expect(() => validateUserEvent(params({ Name: 'b', Payload: payload(400), NodeFilter: 'x'.repeat(20) }))).to.throw(InvalidEventError);
  });

  it('encodes the payload as base64, or null', () => {
    const e = { ID: 'i', Name: 'n', Payload: Buffer.from('hello'), NodeFilter: '', ServiceFilter: '', TagFilter: '', Version: 1, LTime: 3 };
    expect(userEventJson(e).Payload).to.equal('aGVsbG8=');
    expect(userEventJson({ ...e, Payload: null }).Payload).to.equal(null);
  });
});
