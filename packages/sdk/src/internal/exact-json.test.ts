import { expect } from 'chai';
import { parseWithExactField, rawNumbersOf } from './exact-json.js';

describe('exact JSON integers', () => {
  it('keeps a uint64 past 2^53 exact, where JSON.parse rounds it', () => {
    const text = '[{"Key":"a","Flags":3304740253564472344,"Value":null}]';
    expect(String((JSON.parse(text) as Array<{ Flags: number }>)[0].Flags)).to.not.equal('3304740253564472344');
    const [pair] = parseWithExactField<{ Key: string }>(text, 'Flags');
    expect(pair.Flags).to.equal(3304740253564472344n);
    expect(pair.Key).to.equal('a');
  });

  it('reads only object keys, never text inside strings, in document order', () => {
    const text = '[ {"Key":"x\\"Flags\\":9","Flags" : 1, "Value":"\\"Flags\\":7"},\n {"Flags":18446744073709551615,"Key":"\\\\"} ]';
    expect(rawNumbersOf(text, 'Flags')).to.deep.equal(['1', '18446744073709551615']);
    const pairs = parseWithExactField<{ Key: string }>(text, 'Flags');
    expect(pairs.map((p) => p.Flags)).to.deep.equal([1n, 18446744073709551615n]);
    expect(pairs.map((p) => p.Key)).to.deep.equal(['x"Flags":9', '\\']);
  });
});
