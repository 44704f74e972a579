import { expect } from 'chai';
import { decodeBase64, kvPath } from './kv-client.js';

describe('kv client helpers', () => {
  it('decodes standard base64 strictly, as Go does', () => {
    expect(decodeBase64('eAD/eQ==')).to.deep.equal(Buffer.from([0x78, 0, 0xff, 0x79]));
    expect(decodeBase64('')).to.deep.equal(Buffer.alloc(0));
    const bad: Array<[string, string]> = [
      ['not base64!', 'illegal base64 data at input byte 3'],
      ['!!', 'illegal base64 data at input byte 0'],
      ['eAD-eQ==', 'illegal base64 data at input byte 3'],
      ['eAD/eQ', 'illegal base64 data at input byte 4'],
      ['eA===', 'illegal base64 data at input byte 4'],
      ['abc', 'illegal base64 data at input byte 0'],
      ['eA==eA==', 'illegal base64 data at input byte 4'],
    ];
    for (const [text, message] of bad) expect(() => decodeBase64(text), text).to.throw(message);
  });

  it('escapes each segment of a key but keeps its slashes', () => {
    expect(kvPath('a/b c/?#%')).to.equal('/v1/kv/a/b%20c/%3F%23%25');
    expect(kvPath('')).to.equal('/v1/kv/');
  });
});
