import { expect } from 'chai';
import { goJson, parseJson } from './go-json.js';

describe('Go-compatible JSON', () => {
  it('keeps uint64 values above 2^53 exact both ways', () => {
    const text = '[{"Key":"lock","Flags":3304740253564472344,"Value":null},{"Key":"9007199254740993","Flags":7}]';
    const v = parseJson(text) as Array<{ Key: string; Flags: number | bigint }>;
    expect(v[0]!.Flags).to.equal(3304740253564472344n);
    expect(v[1]).to.deep.equal({ Key: '9007199254740993', Flags: 7 });
    expect(goJson(v, '')).to.equal(text);
    expect(parseJson('{"a":1.5e300,"b":-12,"c":"\\u0000x"}')).to.deep.equal({ a: 1.5e300, b: -12, c: '\u0000x' });
  });

  it('escapes <, > and & as Go does, and indents like MarshalIndent', () => {
    expect(goJson({ key: 'a<b>&c', flags: 18446744073709551615n }, '\t')).to.equal('{\n\t"key": "a\\u003cb\\u003e\\u0026c",\n\t"flags": 18446744073709551615\n}');
  });
});
