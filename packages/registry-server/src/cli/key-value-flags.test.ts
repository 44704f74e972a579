import { expect } from 'chai';
import { UsageError } from './command-flags.js';
import { keyValues, nodeMetaQuery } from './key-value-flags.js';

describe('key=value flags', () => {
  it('splits at the first "=", later keys winning, empty values allowed', () => {
    expect(keyValues('meta', ['a=1', 'b=x=y', 'a=2', 'c='])).to.deep.equal({ a: '2', b: 'x=y', c: '' });
  });

  it('refuses a value without "=" in Consul\'s words', () => {
    expect(() => keyValues('meta', ['novalue'])).to.throw(UsageError, 'invalid value "novalue" for flag -meta: Missing "=" value in argument: novalue');
  });

  it('turns -node-meta into ?node-meta=key:value', () => {
    expect(nodeMetaQuery(['rack=r1', 'env=prod'])).to.deep.equal(['rack:r1', 'env:prod']);
  });
});
