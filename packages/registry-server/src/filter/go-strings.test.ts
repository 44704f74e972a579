import { expect } from 'chai';
import { parseGoBool, parseGoInt } from './coerce.js';
import { goQuote, goUnquote } from './go-strings.js';

describe('Go string and number rules', () => {
  it('unquotes as strconv.Unquote does', () => {
    const table: Array<[string, string | undefined]> = [
      ['"plain"', 'plain'],
      ['"a\\tb\\n"', 'a\tb\n'],
      ['"\\a\\b\\f\\r\\v\\\\\\""', '\x07\b\f\r\v\\"'],
      ['"\\x41\\101\\u00e9\\U0001F600"', 'AAé😀'],
      ['"\\xc3\\xa9"', 'é'],
      ['"\\xff"', '\ufffd'],
      ['`raw\\n`', 'raw\\n'],
      ['`a\rb`', 'ab'],
      ['"\\q"', undefined],
      ['"\\\'"', undefined],
      ['"\\400"', undefined],
      ['"\\12"', undefined],
      ['"\\x4"', undefined],
      ['"\\ud800"', undefined],
      ['"\\U00110000"', undefined],
      ['"a\nb"', undefined],
      ['"a\\"', undefined],
    ];
    for (const [literal, want] of table) expect(goUnquote(literal), literal).to.equal(want);
  });

  it('quotes as strconv.Quote does', () => {
    expect(goQuote('Meta.env')).to.equal('"Meta.env"');
    expect(goQuote('a"b\\c')).to.equal('"a\\"b\\\\c"');
    expect(goQuote('tab\t nl\n bell\x07 del\x7f')).to.equal('"tab\\t nl\\n bell\\a del\\x7f"');
    expect(goQuote('é😀\u00a0\u200b')).to.equal('"é😀\\u00a0\\u200b"');
  });

  it('parses integers as strconv.ParseInt(s, 0, 64) and booleans as strconv.ParseBool', () => {
    const ints: Array<[string, bigint | string]> = [
      ['80', 80n],
      ['-80', -80n],
      ['+80', 80n],
      ['0x50', 80n],
      ['0X50', 80n],
      ['0o120', 80n],
      ['0120', 80n],
      ['0b1010000', 80n],
      ['8_0', 80n],
      ['0x_50', 80n],
      ['9223372036854775807', 9223372036854775807n],
      ['-9223372036854775808', -9223372036854775808n],
      ['9223372036854775808', 'value out of range'],
      ['99999999999999999999x', 'value out of range'],
      ['080', 'invalid syntax'],
      ['8__0', 'invalid syntax'],
      ['_80', 'invalid syntax'],
      ['80_', 'invalid syntax'],
      ['1.5', 'invalid syntax'],
      ['', 'invalid syntax'],
      ['0x', 'invalid syntax'],
    ];
    for (const [s, want] of ints) {
      const have = parseGoInt(s);
      if (typeof want === 'bigint') expect(have, s).to.equal(want);
      else expect(have, s).to.deep.equal({ error: `strconv.ParseInt: parsing ${goQuote(s)}: ${want}` });
    }
    for (const s of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(parseGoBool(s), s).to.equal(true);
    for (const s of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(parseGoBool(s), s).to.equal(false);
    expect(parseGoBool('yes')).to.deep.equal({ error: 'strconv.ParseBool: parsing "yes": invalid syntax' });
  });
});
