import { goQuote } from './go-strings.js';

/**
 * A small parsing-expression-grammar machine whose failure reports match those of the parser
 * generator behind Consul's filter language (pigeon, as go-bexpr uses it): when nothing
 * matches, the error names the farthest position any terminal was tried at and every terminal
 * expected there ("1:12 (11): no match found, expected: "-", "0" or [1-9]"); grammar code can
 * record its own errors ("1:16 (15): rule "grouping": Unmatched parentheses"). Positions are
 * line:column (byte offset), counted as that generator counts them.
 *
 * Rule results are memoised per position (and per lookahead polarity), which bounds the work
 * on deeply nested input without changing any result or message: what a rule reports at a
 * position is the same every time it runs there. (Without it, as in Consul 1.8, a dozen nested
 * parentheses take minutes.) Rules nest at most MAX_DEPTH deep, so that no input can exhaust
 * the stack; deeper input is refused.
 */

const MAX_DEPTH = 1000;

class TooDeep extends Error {}

export const FAIL = Symbol('no match');
export type Parsed<T> = T | typeof FAIL;
export type Expr<T = unknown> = (p: PegState) => Parsed<T>;

interface Position {
  line: number;
  col: number;
  offset: number;
}

export interface Rule<T> {
  readonly id: number;
  readonly name: string;
  /** Shown in errors as `rule NAME`; the generator prints the quoted display name if any. */
  readonly display: string;
  expr: Expr<T>;
}

export class PegState {
  readonly chars: string[];
  private readonly positions: Position[];
  i = 0;
  private invert = false;
  private maxFail: Position = { line: 1, col: 1, offset: 0 };
  private expected: string[] = [];
  private readonly errors: string[] = [];
  private readonly rules: Array<Rule<unknown>> = [];
  private readonly memo = new Map<number, { end: number; value: unknown } | typeof FAIL>();

  constructor(input: string) {
    this.chars = Array.from(input);
    this.positions = [];
    let line = 1;
    let col = 0;
    let offset = 0;
    for (let k = 0; k <= this.chars.length; k++) {
      col++;
      if (this.chars[k] === '\n') {
        line++;
        col = 0;
      }
      this.positions.push({ line, col, offset });
      if (k < this.chars.length) offset += Buffer.byteLength(this.chars[k]);
    }
  }

  get atEnd(): boolean {
    return this.i >= this.chars.length;
  }


  /** Records a terminal tried at `at`: a failure normally, a success inside a negative lookahead. */
  tried(at: number, matched: boolean, want: string): void {
    if (matched !== this.invert) return;
    const pos = this.positions[at];
    if (pos.offset < this.maxFail.offset) return;
    if (pos.offset > this.maxFail.offset) {
      this.maxFail = pos;
      this.expected = [];
    }
    this.expected.push(this.invert ? `!${want}` : want);
  }

  /** An error from grammar code, at `at`, named after the innermost rule being parsed. */
  error(message: string, at = this.i): void {
    const rule = this.rules[this.rules.length - 1];
    this.errors.push(`${this.where(this.positions[at])}${rule ? `: rule ${rule.display}` : ''}: ${message}`);
  }

  private where(p: Position): string {
    return `${p.line}:${p.col} (${p.offset})`;
  }

  lookahead<T>(e: Expr<T>, negative: boolean): Parsed<undefined> {
    const start = this.i;
    if (negative) this.invert = !this.invert;
    const r = e(this);
    if (negative) this.invert = !this.invert;
    this.i = start;
    return (r === FAIL) === negative ? undefined : FAIL;
  }

  rule<T>(rule: Rule<T>): Parsed<T> {
    const key = (rule.id * (this.chars.length + 1) + this.i) * 2 + (this.invert ? 1 : 0);
    const hit = this.memo.get(key);
    if (hit !== undefined) {
      if (hit === FAIL) return FAIL;
      this.i = hit.end;
      return hit.value as T;
    }
    if (this.rules.length >= MAX_DEPTH) throw new TooDeep(this.where(this.positions[this.i]));
    this.rules.push(rule as Rule<unknown>);
    const r = rule.expr(this);
    this.rules.pop();
    this.memo.set(key, r === FAIL ? FAIL : { end: this.i, value: r });
    return r;
  }

  /** Runs the start rule over the whole input: its value, or every error as one message. */
  run<T>(start: Rule<T>): { value: T } | { error: string } {
    let r: Parsed<T>;
    try {
      r = this.rule(start);
    } catch (err) {
      if (!(err instanceof TooDeep)) throw err;
      return { error: `${err.message}: expression nests too deeply (more than ${MAX_DEPTH} rules)` };
    }
    if (r === FAIL && this.errors.length === 0) {
      const set = new Set(this.expected);
      const eof = set.delete('!.');
      const list = [...set].sort();
      if (eof) list.push('EOF');
      const joined = list.length < 2 ? list.join('') : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
      this.errors.push(`${this.where(this.maxFail)}: no match found, expected: ${joined}`);
    }
    if (this.errors.length > 0) return { error: [...new Set(this.errors)].join('\n') };
    return { value: r as T };
  }
}

let nextRuleId = 0;

export function rule<T>(name: string, display: string | null = null): Rule<T> {
  return { id: nextRuleId++, name, display: display === null ? name : goQuote(display), expr: () => FAIL };
}

export const ref =
  <T>(r: Rule<T>): Expr<T> =>
  (p) =>
    p.rule(r);

/** A literal text. */
export function lit<S extends string>(s: S): Expr<S> {
  const want = goQuote(s);
  const cs = Array.from(s);
  return (p) => {
    const start = p.i;
    const ok = cs.every((c, k) => p.chars[start + k] === c);
    p.tried(start, ok, want);
    if (!ok) return FAIL;
    p.i += cs.length;
    return s;
  };
}

/** One character of a class, named as the grammar writes it (`[a-zA-Z]`). */
export function cls(name: string, test: (c: string) => boolean): Expr<string> {
  return (p) => {
    const c = p.chars[p.i];
    const ok = c !== undefined && test(c);
    p.tried(p.i, ok, name);
    if (!ok) return FAIL;
    p.i++;
    return c;
  };
}

/** Any one character. */
export const anyChar: Expr<string> = (p) => {
  const c = p.chars[p.i];
  p.tried(p.i, c !== undefined, '.');
  if (c === undefined) return FAIL;
  p.i++;
  return c;
};

export function seq<T extends unknown[]>(...exprs: { [K in keyof T]: Expr<T[K]> }): Expr<T> {
  return (p) => {
    const start = p.i;
    const out: unknown[] = [];
    for (const e of exprs) {
      const r = e(p);
      if (r === FAIL) {
        p.i = start;
        return FAIL;
      }
      out.push(r);
    }
    return out as T;
  };
}

export function choice<T>(...alts: Array<Expr<T>>): Expr<T> {
  return (p) => {
    for (const a of alts) {
      const r = a(p);
      if (r !== FAIL) return r;
    }
    return FAIL;
  };
}

export function opt<T>(e: Expr<T>): Expr<T | undefined> {
  return (p) => {
    const r = e(p);
    return r === FAIL ? undefined : r;
  };
}

export function star<T>(e: Expr<T>): Expr<T[]> {
  return (p) => {
    const out: T[] = [];
    for (let r = e(p); r !== FAIL; r = e(p)) out.push(r);
    return out;
  };
}

export function plus<T>(e: Expr<T>): Expr<T[]> {
  const many = star(e);
  return (p) => {
    const out = many(p) as T[];
    return out.length === 0 ? FAIL : out;
  };
}

/** `&e`: e must match here; nothing is consumed. */
export const and =
  <T>(e: Expr<T>): Expr<undefined> =>
  (p) =>
    p.lookahead(e, false);

/** `!e`: e must not match here; nothing is consumed. */
export const not =
  <T>(e: Expr<T>): Expr<undefined> =>
  (p) =>
    p.lookahead(e, true);

/** Grammar code that refuses what came before it with an error (`&{ return false, err }`). */
export const refuse =
  (message: string): Expr<never> =>
  (p) => {
    p.error(message);
    return FAIL;
  };

/**
 * A value computed from what `e` matched: `text()` is the matched input, `report` records an
 * error at the match's start.
 */
export function action<T, U>(e: Expr<T>, fn: (value: T, text: () => string, report: (message: string) => void) => U): Expr<U> {
  return (p) => {
    const start = p.i;
    const r = e(p);
    if (r === FAIL) return FAIL;
    const end = p.i;
    return fn(
      r,
      () => p.chars.slice(start, end).join(''),
      (m) => p.error(m, start),
    );
  };
}
