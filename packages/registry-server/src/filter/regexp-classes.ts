/**
 * The character classes of Go's regular expressions: Perl's \d \s \w and POSIX's [:alpha:]
 * with their ASCII meanings, Unicode categories and scripts (\pL, \p{Greek}), and case folding
 * for (?i).
 */

/** Whether a character (a code point) belongs. */
export type CharTest = (cp: number) => boolean;

export const range =
  (lo: number, hi: number): CharTest =>
  (cp) =>
    cp >= lo && cp <= hi;
const ranges = (...rs: Array<[string, string]>): CharTest[] => rs.map(([a, b]) => range(a.codePointAt(0)!, b.codePointAt(0)!));

export const PERL: Record<string, CharTest[]> = {
  d: ranges(['0', '9']),
  s: ranges(['\t', '\n'], ['\f', '\r'], [' ', ' ']),
  w: ranges(['0', '9'], ['A', 'Z'], ['a', 'z'], ['_', '_']),
};

export const POSIX: Record<string, CharTest[]> = {
  alnum: ranges(['0', '9'], ['A', 'Z'], ['a', 'z']),
  alpha: ranges(['A', 'Z'], ['a', 'z']),
  ascii: ranges(['\x00', '\x7f']),
  blank: ranges(['\t', '\t'], [' ', ' ']),
  cntrl: ranges(['\x00', '\x1f'], ['\x7f', '\x7f']),
  digit: ranges(['0', '9']),
  graph: ranges(['!', '~']),
  lower: ranges(['a', 'z']),
  print: ranges([' ', '~']),
  punct: ranges(['!', '/'], [':', '@'], ['[', '`'], ['{', '~']),
  space: ranges(['\t', '\r'], [' ', ' ']),
  upper: ranges(['A', 'Z']),
  word: ranges(['0', '9'], ['A', 'Z'], ['a', 'z'], ['_', '_']),
  xdigit: ranges(['0', '9'], ['A', 'F'], ['a', 'f']),
};

const CATEGORIES = new Set('C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '));

export function unicodeTable(name: string): CharTest | undefined {
  if (name === 'Any') return () => true;
  let re: RegExp;
  try {
    re = new RegExp(CATEGORIES.has(name) ? `^\\p{${name}}$` : `^\\p{Script=${name}}$`, 'u');
  } catch {
    return undefined;
  }
  return (cp) => re.test(String.fromCodePoint(cp));
}

function caseOf(cp: number, f: (s: string) => string): number {
  const s = f(String.fromCodePoint(cp));
  return [...s].length === 1 ? s.codePointAt(0)! : cp;
}
const lower = (cp: number) => caseOf(cp, (s) => s.toLowerCase());
const upper = (cp: number) => caseOf(cp, (s) => s.toUpperCase());
/** One representative of a character's case orbit (k, K and the Kelvin sign share one). */
export const canonical = (cp: number) => lower(upper(cp));

/** A case-insensitive test: the character or any of its other cases (Go's simple folding). */
export function folded(test: CharTest): CharTest {
  return (cp) => test(cp) || test(lower(cp)) || test(upper(cp)) || test(canonical(cp));
}

export const anyOf =
  (tests: CharTest[], negated = false): CharTest =>
  (cp) =>
    tests.some((t) => t(cp)) !== negated;
