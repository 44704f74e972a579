import type { CharTest } from './regexp-classes.js';
import { isWordChar, parseGoRegex, RegexSyntaxError, type Regex } from './regexp-syntax.js';

/**
 * Go regular expressions run as Go runs them: a Thompson automaton that follows every path at
 * once, in time linear in the input, so no pattern a client sends can make matching take
 * exponential time (JavaScript's backtracking RegExp could be made to). Only "does it match
 * anywhere" is needed, so there are no captures and greediness does not matter.
 */

type Inst =
  | { op: 'char'; test: CharTest; next: number }
  | { op: 'split'; x: number; y: number }
  | { op: 'assert'; kind: Extract<Regex, { op: 'assert' }>['kind']; next: number }
  | { op: 'match' };

/** Bigger programs (e.g. nested counted repeats) are refused, as newer Go refuses them. */
const MAX_PROGRAM = 20_000;

class Compiler {
  readonly prog: Inst[] = [{ op: 'match' }];

  private emit(i: Inst): number {
    if (this.prog.length >= MAX_PROGRAM) throw new RegexSyntaxError('error parsing regexp: expression too large');
    this.prog.push(i);
    return this.prog.length - 1;
  }

  /** The entry of `re`, which continues at `next` once it has matched. */
  compile(re: Regex, next: number): number {
    switch (re.op) {
      case 'char':
        return this.emit({ op: 'char', test: re.test, next });
      case 'assert':
        return this.emit({ op: 'assert', kind: re.kind, next });
      case 'cat':
        return re.subs.reduceRight((k, sub) => this.compile(sub, k), next);
      case 'alt':
        return re.subs.map((sub) => this.compile(sub, next)).reduceRight((y, x) => this.emit({ op: 'split', x, y }));
      case 'repeat':
        return this.repeat(re.sub, re.min, re.max, next);
    }
  }

  private star(sub: Regex, next: number): number {
    const loop = this.emit({ op: 'split', x: -1, y: next });
    (this.prog[loop] as Extract<Inst, { op: 'split' }>).x = this.compile(sub, loop);
    return loop;
  }

  /** x{min,max} as min copies of x, then either x* or (max-min) nested optional copies. */
  private repeat(sub: Regex, min: number, max: number, next: number): number {
    let k = next;
    if (max < 0) k = this.star(sub, next);
    else for (let n = max - min; n > 0; n--) k = this.emit({ op: 'split', x: this.compile(sub, k), y: next });
    for (let n = min; n > 0; n--) k = this.compile(sub, k);
    return k;
  }
}

export interface GoRegex {
  test(s: string): boolean;
}

/** Compiles a Go regular expression; a refusal throws RegexSyntaxError with Go's wording. */
export function compileGoRegex(source: string): GoRegex {
  const c = new Compiler();
  const entry = c.compile(parseGoRegex(source), 0);
  const prog = c.prog;
  return {
    test(s: string): boolean {
      const input = Array.from(s, (ch) => ch.codePointAt(0)!);
      const mark = new Int32Array(prog.length).fill(-1);
      let clist: number[] = [];
      let found = false;
      const add = (list: number[], pc: number, pos: number, gen: number) => {
        const stack = [pc];
        while (stack.length > 0 && !found) {
          const p = stack.pop()!;
          if (mark[p] === gen) continue;
          mark[p] = gen;
          const inst = prog[p];
          if (inst.op === 'match') found = true;
          else if (inst.op === 'char') list.push(p);
          else if (inst.op === 'split') stack.push(inst.y, inst.x);
          else if (holds(inst.kind, input, pos)) stack.push(inst.next);
        }
      };
      for (let pos = 0; ; pos++) {
        add(clist, entry, pos, pos); // a match may start anywhere
        if (found) return true;
        if (pos >= input.length) return false;
        const next: number[] = [];
        for (const p of clist) {
          const inst = prog[p] as Extract<Inst, { op: 'char' }>;
          if (inst.test(input[pos])) add(next, inst.next, pos + 1, pos + 1);
          if (found) return true;
        }
        clist = next;
      }
    },
  };
}

function holds(kind: Extract<Inst, { op: 'assert' }>['kind'], input: number[], pos: number): boolean {
  switch (kind) {
    case 'text-start':
      return pos === 0;
    case 'text-end':
      return pos === input.length;
    case 'line-start':
      return pos === 0 || input[pos - 1] === 10;
    case 'line-end':
      return pos === input.length || input[pos] === 10;
    case 'word':
      return isWordChar(input[pos - 1]) !== isWordChar(input[pos]);
    case 'not-word':
      return isWordChar(input[pos - 1]) === isWordChar(input[pos]);
  }
}
