import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { AUTH_HEADERS, RequestVerifier, responseIsSigned, signRequest, signResponse } from './message-auth.js';

const key = randomBytes(32);
const PATH = '/v1/internal/praetor/members';
const headerOf = (h: Record<string, string>) => (name: string) => h[name];

describe('membership message signatures', () => {
  it('accepts a signed request once, and refuses a change of method, path, body or key', () => {
    const body = Buffer.from('{"Name":"a"}');
    const v = new RequestVerifier(key);
    const { headers } = signRequest(key, 'PUT', PATH, body);
    expect(v.check('PUT', PATH, headerOf(headers), body)).to.equal(undefined);
    expect(v.check('PUT', PATH, headerOf(headers), body)).to.match(/replay/);
    const fresh = () => headerOf(signRequest(key, 'PUT', PATH, body).headers);
    expect(v.check('GET', PATH, fresh(), body)).to.match(/does not match/);
    expect(v.check('PUT', '/v1/agent/join/x', fresh(), body)).to.match(/does not match/);
    expect(v.check('PUT', PATH, fresh(), Buffer.from('{"Name":"b"}'))).to.match(/does not match/);
    expect(v.check('PUT', PATH, headerOf(signRequest(randomBytes(32), 'PUT', PATH, body).headers), body)).to.match(/does not match/);
    expect(v.check('PUT', PATH, () => undefined, body)).to.match(/not signed/);
  });

  it('refuses a timestamp outside the window either way, and forgets nonces once they cannot be replayed', () => {
    const body = Buffer.from('x');
    const v = new RequestVerifier(key, 1000, 100);
    const now = 1_000_000;
    expect(v.check('PUT', PATH, headerOf(signRequest(key, 'PUT', PATH, body, now - 1500).headers), body, now)).to.match(/is 2s old/);
    expect(v.check('PUT', PATH, headerOf(signRequest(key, 'PUT', PATH, body, now + 1500).headers), body, now)).to.match(/in the future/);
    for (let i = 0; i < 50; i++) expect(v.check('PUT', PATH, headerOf(signRequest(key, 'PUT', PATH, body, now).headers), body, now)).to.equal(undefined);
    expect(v.size).to.equal(50);
    const later = now + 2001;
    expect(v.check('PUT', PATH, headerOf(signRequest(key, 'PUT', PATH, body, later).headers), body, later)).to.equal(undefined);
    expect(v.size).to.equal(1);
  });

  it('keeps at most maxNonces', () => {
    const body = Buffer.from('x');
    const v = new RequestVerifier(key, 30_000, 10);
    for (let i = 0; i < 25; i++) v.check('PUT', PATH, headerOf(signRequest(key, 'PUT', PATH, body, 5000).headers), body, 5000);
    expect(v.size).to.be.at.most(10);
  });

  it('binds an answer to the request nonce', () => {
    const { nonce, headers } = signRequest(key, 'PUT', PATH, 'b');
    expect(headers[AUTH_HEADERS.nonce]).to.equal(nonce);
    const sig = signResponse(key, nonce, 200, 'answer');
    expect(responseIsSigned(key, nonce, 200, 'answer', sig)).to.equal(true);
    expect(responseIsSigned(key, 'f'.repeat(32), 200, 'answer', sig)).to.equal(false);
    expect(responseIsSigned(key, nonce, 200, 'other', sig)).to.equal(false);
    expect(responseIsSigned(key, nonce, 200, 'answer', undefined)).to.equal(false);
  });
});
