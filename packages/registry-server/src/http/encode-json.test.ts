import { expect } from 'chai';
import { encodeJson } from './encode-json.js';

describe('encodeJson', () => {
  it('writes bigints as exact bare numbers, compact and pretty', () => {
    const v = [{ Key: 'k', Flags: 3304740253564472344n, Note: 'u64:1' }];
    expect(encodeJson(v, false)).to.equal('[{"Key":"k","Flags":3304740253564472344,"Note":"u64:1"}]');
    expect(encodeJson(v, true)).to.include('"Flags": 3304740253564472344,');
  });

  it('is plain JSON.stringify otherwise', () => {
    expect(encodeJson({ a: [1, 'x'] }, false)).to.equal('{"a":[1,"x"]}');
  });
});
