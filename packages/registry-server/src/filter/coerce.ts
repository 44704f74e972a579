import { goQuote } from './go-strings.js';
import type { FieldType } from './schema.js';

/** A value as the field's type reads it: a string, a 64-bit integer or a boolean. */
export type Scalar = string | bigint | boolean;

const MAX_INT64 = (1n << 63n) - 1n;

function underscoresOk(s: string): boolean {
  let saw = '^';
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1].toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1].toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
    } else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

/** Go's strconv.ParseUint(s, 0, 64): decimal, 0x/0o/0b or a leading 0 for octal, `_` between digits. */
function parseUint(s: string): bigint | 'syntax' | 'range' {
  if (s === '') return 'syntax';
  const s0 = s;
  let base = 10n;
  if (s[0] === '0') {
    const p = s.length >= 3 ? s[1].toLowerCase() : '';
    if (p === 'b' || p === 'o' || p === 'x') {
      base = p === 'b' ? 2n : p === 'o' ? 8n : 16n;
      s = s.slice(2);
    } else {
      base = 8n;
      s = s.slice(1);
    }
  }
  let n = 0n;
  let underscores = false;
  for (const c of s) {
    if (c === '_') {
      underscores = true;
      continue;
    }
    const d = /[0-9]/.test(c) ? BigInt(c.charCodeAt(0) - 48) : /[a-zA-Z]/.test(c) ? BigInt(c.toLowerCase().charCodeAt(0) - 87) : -1n;
    if (d < 0n || d >= base) return 'syntax';
    n = n * base + d;
    if (n > (1n << 64n) - 1n) return 'range';
  }
  if (underscores && !underscoresOk(s0)) return 'syntax';
  return n;
}

/** Go's strconv.ParseInt(s, 0, 64), with its error text. */
export function parseGoInt(s: string): bigint | { error: string } {
  const neg = s[0] === '-';
  const u = parseUint(s[0] === '-' || s[0] === '+' ? s.slice(1) : s);
  const fail = (what: string) => ({ error: `strconv.ParseInt: parsing ${goQuote(s)}: ${what}` });
  if (u === 'syntax') return fail('invalid syntax');
  if (u === 'range' || u > (neg ? MAX_INT64 + 1n : MAX_INT64)) return fail('value out of range');
  return neg ? -u : u;
}

/** Go's strconv.ParseBool, with its error text. */
export function parseGoBool(s: string): boolean | { error: string } {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return { error: `strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax` };
}

/** Reads a written value as a scalar field type does (strings take it as it is). */
export function coerce(raw: string, type: FieldType): Scalar | { error: string } {
  if (type.kind === 'int') return parseGoInt(raw);
  if (type.kind === 'bool') return parseGoBool(raw);
  return raw;
}
