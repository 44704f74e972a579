import fc from 'fast-check';

/**
 * The hostile values the fuzzer puts everywhere (path segments, query values, JSON fields):
 * ordinary names mixed with NUL, separators, `..`, raw latin1 bytes that are invalid UTF-8,
 * bad and good percent-escapes, unicode, and very long strings.
 */
const NASTY_STRINGS = [
  '', ' ', '.', '..', '/', '//', 'a/../b', '\u0000', 'a\u0000b', '\u001f', '\t', '\n', '%', '%00', '%zz', '%ff', '%c3%28',
  'é', '日本', '😀', '\ud800', '\uffff', '?', '#', '&', '=', '+', ';', '"', "'", '\\', '<script>', '${x}', '*', 'null',
  'true', '-1', '0', '18446744073709551615', '18446744073709551616', '1e400', 'NaN', '__proto__', 'constructor',
];

/** A short name as a client would use: service, node, key segment. */
export const plainName = fc.constantFrom('web', 'db', 'api', 'a', 'b', 'node1', 'svc-1', 'redis', 'x_y', 'A.B');

/** Any string a hostile client might send, unicode included. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 16, arbitrary: plainName },
  { weight: 12, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 8, arbitrary: fc.string({ maxLength: 24, unit: 'binary' }) },
  { weight: 4, arbitrary: fc.tuple(plainName, fc.constantFrom(...NASTY_STRINGS), plainName).map(([a, b, c]) => a + b + c) },
  // Long: past 255 (DNS labels, Consul's name limits) and past Node's 16 KiB header limit in a path.
  { weight: 1, arbitrary: fc.integer({ min: 256, max: 20_000 }).map((n) => 'x'.repeat(n)) },
);

/** What may stand in a URL path or query as sent (latin1 bytes 0x21-0xff; others percent-encoded). */
export function urlText(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    // `%` stays as is, so good and bad escapes alike reach the server.
    if (c >= 0x21 && c <= 0x7e && ch !== '#' && ch !== '?') out += ch;
    else {
      try {
        out += encodeURIComponent(ch);
      } catch {
        out += '%ED%A0%80'; // a lone surrogate: its (invalid) UTF-8 bytes
      }
    }
  }
  return out;
}

/** A path segment: encoded text, or raw latin1 bytes (0x80-0xff), which are invalid UTF-8 on their own. */
export const pathText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: nastyString.map(urlText) },
  { weight: 1, arbitrary: fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 6 }).map((bs) => 'k' + String.fromCharCode(...bs)) },
  { weight: 1, arbitrary: fc.array(plainName, { minLength: 1, maxLength: 5 }).map((xs) => xs.join('/')) },
);

/** Numbers as JSON text: ordinary, negative, fractional, past 2^53, past uint64, past float64. */
export const numberText = fc.constantFrom(
  '0', '1', '-1', '8080', '65536', '1.5', '-0', '9007199254740993', '18446744073709551615', '18446744073709551616',
  '1e308', '1e400', '-1e400', '123456789012345678901234567890123456789', '0.000000000000000000000000001',
);

/** A JSON value of any type (for a field that wants another). */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyString, nastyString, { maxKeys: 3 }) },
);

/** Usually a value of the right type, sometimes anything. */
export function mostly<T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: anyJson });
}

/** An optional field: present (mostly right) or absent. */
export function field<T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.option(mostly(good), { nil: undefined, freq: 3 });
}

export const duration = fc.constantFrom('10s', '1s', '0s', '15s', '1h', '-1s', '10', 'abc', '', '99999999h', '1ms', '86400s');
export const checkStatus = fc.constantFrom('passing', 'warning', 'critical', 'maintenance', 'bogus', '');
