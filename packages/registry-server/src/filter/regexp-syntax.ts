import { anyOf, canonical, folded, PERL, POSIX, range, unicodeTable, type CharTest } from './regexp-classes.js';

/**
 * Go's regular expression syntax (RE2, as Go's regexp package reads it), parsed into a small
 * tree that regexp-match.ts runs. Consul compiles `matches` patterns with Go's regexp, so a
 * pattern is accepted, refused and understood here as Go does it: no backreferences or
 * lookaround, `\pN`/`\p{Greek}`, `[[:alpha:]]`, `\Q...\E`, `(?i)` flags that last to the end
 * of the group, and refusals worded as Go words them ("missing closing ): `(`").
 */

export type Regex =
  | { op: 'char'; test: CharTest }
  | { op: 'assert'; kind: 'text-start' | 'text-end' | 'line-start' | 'line-end' | 'word' | 'not-word' }
  | { op: 'cat' | 'alt'; subs: Regex[] }
  | { op: 'repeat'; sub: Regex; min: number; max: number };

export class RegexSyntaxError extends Error {}

interface Flags {
  fold: boolean;
  multiLine: boolean;
  dotNL: boolean;
}

interface Frame {
  alts: Regex[][];
  cur: Regex[];
  flags: Flags;
}

const MAX_NESTING = 1000;
const WORD = /[0-9A-Za-z_]/;

class Parser {
  private readonly c: string[];
  private k = 0;
  private flags: Flags = { fold: false, multiLine: false, dotNL: false };
  private readonly frames: Frame[] = [{ alts: [], cur: [], flags: this.flags }];
  private lastRepeat = -1;

  constructor(source: string) {
    this.c = Array.from(source);
  }

  private fail(code: string, from: number, to: number): never {
    throw new RegexSyntaxError(`error parsing regexp: ${code}: \`${this.c.slice(from, to).join('')}\``);
  }

  private get frame(): Frame {
    return this.frames[this.frames.length - 1];
  }

  private push(re: Regex): void {
    this.frame.cur.push(re);
  }

  private literal(cp: number): void {
    const c = canonical(cp);
    this.push({ op: 'char', test: this.flags.fold ? (x) => x === cp || canonical(x) === c : (x) => x === cp });
  }

  private close(f: Frame): Regex {
    const alts = [...f.alts, f.cur].map((cur): Regex => (cur.length === 1 ? cur[0] : { op: 'cat', subs: cur }));
    return alts.length === 1 ? alts[0] : { op: 'alt', subs: alts };
  }

  parse(): Regex {
    while (this.k < this.c.length) {
      const start = this.k;
      let repeat = -1;
      switch (this.c[this.k]) {
        case '(':
          if (this.frames.length > MAX_NESTING) this.fail('expression nests too deeply', 0, this.c.length);
          if (this.c[this.k + 1] === '?') this.perlGroup();
          else {
            this.frames.push({ alts: [], cur: [], flags: this.flags });
            this.k++;
          }
          break;
        case '|':
          this.frame.alts.push(this.frame.cur);
          this.frame.cur = [];
          this.k++;
          break;
        case ')': {
          if (this.frames.length < 2) this.fail('unexpected )', 0, this.c.length);
          const f = this.frames.pop()!;
          this.flags = f.flags;
          this.push(this.close(f));
          this.k++;
          break;
        }
        case '^':
          this.push({ op: 'assert', kind: this.flags.multiLine ? 'line-start' : 'text-start' });
          this.k++;
          break;
        case '$':
          this.push({ op: 'assert', kind: this.flags.multiLine ? 'line-end' : 'text-end' });
          this.k++;
          break;
        case '.':
          this.push({ op: 'char', test: this.flags.dotNL ? () => true : (cp) => cp !== 10 });
          this.k++;
          break;
        case '[':
          this.push({ op: 'char', test: this.charClass() });
          break;
        case '*':
        case '+':
        case '?': {
          const op = this.c[this.k];
          this.k++;
          this.repeat(start, op === '+' ? 1 : 0, op === '?' ? 1 : -1);
          repeat = start;
          break;
        }
        case '{': {
          const r = this.repeatCount();
          if (!r) {
            this.literal(this.c[this.k++].codePointAt(0)!);
            break;
          }
          if (r.min < 0 || r.min > 1000 || r.max > 1000 || (r.max >= 0 && r.min > r.max)) this.fail('invalid repeat count', start, r.end);
          this.k = r.end;
          this.repeat(start, r.min, r.max);
          repeat = start;
          break;
        }
        case '\\':
          this.escape();
          break;
        default:
          this.literal(this.c[this.k++].codePointAt(0)!);
      }
      this.lastRepeat = repeat;
    }
    if (this.frames.length !== 1) this.fail('missing closing )', 0, this.c.length);
    return this.close(this.frame);
  }

  private repeat(opStart: number, min: number, max: number): void {
    if (this.c[this.k] === '?') this.k++; // non-greedy: the same language
    if (this.lastRepeat >= 0) this.fail('invalid nested repetition operator', this.lastRepeat, this.k);
    const cur = this.frame.cur;
    if (cur.length === 0) this.fail('missing argument to repetition operator', opStart, this.k);
    cur[cur.length - 1] = { op: 'repeat', sub: cur[cur.length - 1], min, max };
  }

  /** `{n}`, `{n,}`, `{n,m}` at k; undefined when it is not one (then `{` is a literal). */
  private repeatCount(): { min: number; max: number; end: number } | undefined {
    let i = this.k + 1;
    const int = (): number | undefined => {
      const from = i;
      while (/[0-9]/.test(this.c[i] ?? '')) i++;
      if (i === from || (i - from >= 2 && this.c[from] === '0')) return undefined;
      const digits = this.c.slice(from, i).join('');
      return digits.length > 8 ? -1 : Number(digits);
    };
    let min = int();
    if (min === undefined) return undefined;
    let max = min;
    if (this.c[i] === ',') {
      i++;
      if (this.c[i] === '}') max = -1;
      else {
        const m = int();
        if (m === undefined) return undefined;
        max = m;
        if (m < 0) min = -1;
      }
    }
    if (this.c[i] !== '}') return undefined;
    return { min, max, end: i + 1 };
  }

  /** `(?P<name>`, `(?flags)`, `(?flags:`. */
  private perlGroup(): void {
    const start = this.k;
    if (this.c.length - start > 4 && this.c[start + 2] === 'P' && this.c[start + 3] === '<') {
      const end = this.c.indexOf('>', start);
      if (end < 0) this.fail('invalid named capture', start, this.c.length);
      const name = this.c.slice(start + 4, end).join('');
      if (!/^[0-9A-Za-z_]+$/.test(name)) this.fail('invalid named capture', start, end + 1);
      this.frames.push({ alts: [], cur: [], flags: this.flags });
      this.k = end + 1;
      return;
    }
    this.k += 2;
    const flags = { ...this.flags };
    let negate = false;
    let sawFlag = false;
    while (this.k < this.c.length) {
      const ch = this.c[this.k++];
      if (ch === 'i' || ch === 'm' || ch === 's' || ch === 'U') {
        if (ch === 'i') flags.fold = !negate;
        if (ch === 'm') flags.multiLine = !negate;
        if (ch === 's') flags.dotNL = !negate;
        sawFlag = true;
      } else if (ch === '-' && !negate) {
        negate = true;
        sawFlag = false;
      } else if ((ch === ':' || ch === ')') && !(negate && !sawFlag)) {
        if (ch === ':') this.frames.push({ alts: [], cur: [], flags: this.flags });
        this.flags = flags;
        return;
      } else break;
    }
    this.fail('invalid or unsupported Perl syntax', start, this.k);
  }

  private escape(): void {
    const start = this.k;
    const next = this.c[this.k + 1];
    const asserts: Record<string, Extract<Regex, { op: 'assert' }>['kind']> = { A: 'text-start', z: 'text-end', b: 'word', B: 'not-word' };
    if (next !== undefined && next in asserts) {
      this.push({ op: 'assert', kind: asserts[next] });
      this.k += 2;
      return;
    }
    if (next === 'C') this.fail('invalid escape sequence', start, start + 2);
    if (next === 'Q') {
      let end = this.c.findIndex((ch, i) => i > start + 1 && ch === '\\' && this.c[i + 1] === 'E');
      if (end < 0) end = this.c.length;
      for (const ch of this.c.slice(start + 2, end)) this.literal(ch.codePointAt(0)!);
      this.k = Math.min(end + 2, this.c.length);
      return;
    }
    const group = this.unicodeClass() ?? this.perlClass();
    if (group) {
      this.push({ op: 'char', test: this.flags.fold ? folded(group) : group });
      return;
    }
    this.literal(this.escapedChar());
  }

  /** `\pL`, `\p{Greek}`, `\PL`, `\p{^Greek}` at k. */
  private unicodeClass(): CharTest | undefined {
    const start = this.k;
    if (this.c[start] !== '\\' || (this.c[start + 1] !== 'p' && this.c[start + 1] !== 'P')) return undefined;
    let negated = this.c[start + 1] === 'P';
    let name: string;
    let end: number;
    if (this.c[start + 2] !== '{') {
      end = Math.min(start + 3, this.c.length);
      name = this.c.slice(start + 2, end).join('');
    } else {
      const close = this.c.indexOf('}', start);
      if (close < 0) this.fail('invalid character class range', start, this.c.length);
      end = close + 1;
      name = this.c.slice(start + 3, close).join('');
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    const table = name ? unicodeTable(name) : undefined;
    if (!table) this.fail('invalid character class range', start, end);
    this.k = end;
    return negated ? (cp) => !table(cp) : table;
  }

  /** `\d \D \s \S \w \W` at k (Go's ASCII meanings). */
  private perlClass(): CharTest | undefined {
    const e = this.c[this.k + 1];
    if (this.c[this.k] !== '\\' || e === undefined || !'dswDSW'.includes(e)) return undefined;
    this.k += 2;
    return anyOf(PERL[e.toLowerCase()], e !== e.toLowerCase());
  }

  /** One escaped character at k: `\n`, `\x41`, `\x{263a}`, `\101`, `\.`; Go's refusals otherwise. */
  private escapedChar(): number {
    const start = this.k;
    if (this.k + 1 >= this.c.length) this.fail('trailing backslash at end of expression', start, start);
    const e = this.c[this.k + 1];
    this.k += 2;
    const isOctal = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '7';
    if (e < '\x80' && !/[0-9A-Za-z]/.test(e)) return e.codePointAt(0)!;
    if (e === '0' || (e >= '1' && e <= '7' && isOctal(this.c[this.k]))) {
      let v = Number(e);
      for (let n = 1; n < 3 && isOctal(this.c[this.k]); n++) v = v * 8 + Number(this.c[this.k++]);
      return v;
    }
    if (e === 'x') {
      const hex = (ch: string | undefined) => (ch !== undefined && /^[0-9A-Fa-f]$/.test(ch) ? parseInt(ch, 16) : -1);
      if (this.c[this.k] === '{') {
        this.k++;
        let v = 0;
        let digits = 0;
        for (;;) {
          if (this.k >= this.c.length) this.fail('invalid escape sequence', start, this.k);
          const ch = this.c[this.k++];
          if (ch === '}') break;
          const d = hex(ch);
          v = v * 16 + d;
          if (d < 0 || v > 0x10ffff) this.fail('invalid escape sequence', start, this.k);
          digits++;
        }
        if (digits === 0) this.fail('invalid escape sequence', start, this.k);
        return v;
      }
      if (this.k >= this.c.length) this.fail('invalid escape sequence', start, this.k);
      const x = hex(this.c[this.k++]);
      const y = hex(this.c[this.k]);
      if (this.k < this.c.length) this.k++;
      if (x < 0 || y < 0) this.fail('invalid escape sequence', start, this.k);
      return x * 16 + y;
    }
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (e in simple) return simple[e];
    return this.fail('invalid escape sequence', start, this.k);
  }

  /** `[...]` at k. */
  private charClass(): CharTest {
    const whole = this.k;
    this.k++;
    let negated = false;
    if (this.c[this.k] === '^') {
      negated = true;
      this.k++;
    }
    const tests: CharTest[] = [];
    let first = true;
    while (this.k >= this.c.length || this.c[this.k] !== ']' || first) {
      first = false;
      if (this.c[this.k] === '[' && this.c[this.k + 1] === ':' && this.k + 2 < this.c.length) {
        let close = this.k + 2;
        while (close + 1 < this.c.length && !(this.c[close] === ':' && this.c[close + 1] === ']')) close++;
        if (close + 1 < this.c.length) {
          const end = close + 2;
          const m = /^\[:(\^?)([a-z]+):\]$/.exec(this.c.slice(this.k, end).join(''));
          if (!m || !(m[2] in POSIX)) this.fail('invalid character class range', this.k, end);
          tests.push(anyOf(POSIX[m[2]], m[1] === '^'));
          this.k = end;
          continue;
        }
      }
      const group = this.unicodeClass() ?? this.perlClass();
      if (group) {
        tests.push(group);
        continue;
      }
      const from = this.k;
      const lo = this.classChar(whole);
      let hi = lo;
      if (this.c[this.k] === '-' && this.k + 1 < this.c.length && this.c[this.k + 1] !== ']') {
        this.k++;
        hi = this.classChar(whole);
        if (hi < lo) this.fail('invalid character class range', from, this.k);
      }
      tests.push(range(lo, hi));
    }
    this.k++;
    const inClass = anyOf(tests);
    const test = this.flags.fold ? folded(inClass) : inClass;
    return negated ? (cp) => !test(cp) : test;
  }

  private classChar(whole: number): number {
    if (this.k >= this.c.length) this.fail('missing closing ]', whole, this.c.length);
    if (this.c[this.k] === '\\') return this.escapedChar();
    return this.c[this.k++].codePointAt(0)!;
  }
}

/** Parses a Go regular expression; a refusal is a RegexSyntaxError with Go's wording. */
export function parseGoRegex(source: string): Regex {
  return new Parser(source).parse();
}

export const isWordChar = (cp: number | undefined): boolean => cp !== undefined && WORD.test(String.fromCodePoint(cp));
