import { expect } from 'chai';
import { jsonTooDeep } from './json-depth.js';

describe('jsonTooDeep: JSON nested past a limit, in Go’s words', () => {
  const nested = (open: string, close: string, n: number) => open.repeat(n) + close.repeat(n);

  it('accepts nesting up to the limit and names the bracket that goes past it', () => {
    expect(jsonTooDeep(nested('[', ']', 3), 3)).to.equal(undefined);
    expect(jsonTooDeep(nested('[', ']', 4), 3)).to.equal("invalid character '[' exceeded max depth");
    expect(jsonTooDeep(`{"a":${nested('{"b":', '}', 3)}1}`, 3)).to.equal("invalid character '{' exceeded max depth");
  });

  it('counts depth, not brackets: siblings do not add up', () => {
    expect(jsonTooDeep(`[${'[],'.repeat(50)}[]]`, 2)).to.equal(undefined);
  });

  it('skips brackets inside strings, escaped quotes included', () => {
    expect(jsonTooDeep(JSON.stringify({ s: '[[[[{{{{"\\"[[[[' }), 1)).to.equal(undefined);
    expect(jsonTooDeep(JSON.stringify({ s: 'a"b' , t: [[1]] }), 2)).to.equal("invalid character '[' exceeded max depth");
  });
});
