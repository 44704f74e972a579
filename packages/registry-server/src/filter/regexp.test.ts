import { expect } from 'chai';
import { compileGoRegex, RegexSyntaxError } from './regexp.js';

// The subjects, and for each pattern either the indexes of the subjects it matches or Go's
// refusal, as a Consul 1.8.7 agent answered `Meta.v matches `pattern`` over services whose
// Meta.v were these strings.
const SUBJECTS = ["abc","ABC","a\nb","a.b","foo-bar_1","ÉCOLE","école","x{2}","aaa","","ab\ncd","123","π","K","tab\there","ſ","a]b","a-b","z"," ","word end","x\\y","ǅ"];

describe('Go regular expressions', () => {
  it('accept, refuse and match as Go does', () => {
    const table: Array<[string, string]> = [
      ["abc", "0"],
      ["^abc$", "0"],
      ["(?i)abc", "0,1"],
      ["(?i)école", "5,6"],
      ["(?i)k", "13"],
      ["(?i)s", "15"],
      ["a.b", "3,16,17"],
      ["(?s)a.b", "2,3,16,17"],
      ["^b", ""],
      ["(?m)^b", "2"],
      ["a$", "8"],
      ["(?m)a$", "2,8"],
      ["\\Aa", "0,2,3,8,10,16,17"],
      ["c\\z", "0"],
      ["\\bend", "20"],
      ["\\Bnd", "20"],
      ["[[:upper:]]+$", "1,5,13"],
      ["[[:^alpha:]]", "2,3,4,5,6,7,10,11,12,14,15,16,17,19,20,21,22"],
      ["[^a-z]", "1,2,3,4,5,6,7,10,11,12,13,14,15,16,17,19,20,21,22"],
      ["[]a]", "0,2,3,4,8,10,14,16,17"],
      ["[a-]", "0,2,3,4,8,10,14,16,17"],
      ["\\d+", "4,7,11"],
      ["\\D", "0,1,2,3,4,5,6,7,8,10,12,13,14,15,16,17,18,19,20,21,22"],
      ["\\s", "2,10,14,20"],
      ["\\S", "0,1,2,3,4,5,6,7,8,10,11,12,13,14,15,16,17,18,19,20,21,22"],
      ["\\w+", "0,1,2,3,4,5,6,7,8,10,11,13,14,16,17,18,20,21"],
      ["\\W", "2,3,4,5,6,7,10,12,14,15,16,17,19,20,21,22"],
      ["\\pL", "0,1,2,3,4,5,6,7,8,10,12,13,14,15,16,17,18,20,21,22"],
      ["\\p{Greek}", "12"],
      ["\\PL", "2,3,4,7,10,11,14,16,17,19,20,21"],
      ["\\p{^L}", "2,3,4,7,10,11,14,16,17,19,20,21"],
      ["\\p{Lu}", "1,5,13"],
      ["\\Qx{2}\\E", "7"],
      ["x{2}", ""],
      ["a{2,}", "8"],
      ["a{1,2}b", "0,10,14"],
      ["a{,2}", ""],
      ["x\\{2\\}", "7"],
      ["\\x41", "1"],
      ["\\x{3c0}", "12"],
      ["\\101", "1"],
      ["\\.", "3"],
      ["\\-", "4,17"],
      ["\\_", "4"],
      ["\\\"", ""],
      ["a|b|^$", "0,2,3,4,8,9,10,14,16,17"],
      ["(a|b)*c", "0,6,10"],
      ["(?:ab)+", "0,10,14"],
      ["(?P<n>a)", "0,2,3,4,8,10,14,16,17"],
      ["(?i:A)bc", "0"],
      ["(?U)a+", "0,2,3,4,8,10,14,16,17"],
      ["a*?", "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22"],
      ["a+?b", "0,10,14"],
      [".*", "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22"],
      ["^$", "9"],
      ["(", "error parsing regexp: missing closing ): `(`"],
      [")", "error parsing regexp: unexpected ): `)`"],
      ["[a-", "error parsing regexp: missing closing ]: `[a-`"],
      ["a**", "error parsing regexp: invalid nested repetition operator: `**`"],
      ["a*+", "error parsing regexp: invalid nested repetition operator: `*+`"],
      ["*a", "error parsing regexp: missing argument to repetition operator: `*`"],
      ["a|*", "error parsing regexp: missing argument to repetition operator: `*`"],
      ["(*)", "error parsing regexp: missing argument to repetition operator: `*`"],
      ["\\q", "error parsing regexp: invalid escape sequence: `\\q`"],
      ["\\C", "error parsing regexp: invalid escape sequence: `\\C`"],
      ["\\1", "error parsing regexp: invalid escape sequence: `\\1`"],
      ["\\8", "error parsing regexp: invalid escape sequence: `\\8`"],
      ["\\", "error parsing regexp: trailing backslash at end of expression: ``"],
      ["[z-a]", "error parsing regexp: invalid character class range: `z-a`"],
      ["[[:foo:]]", "error parsing regexp: invalid character class range: `[:foo:]`"],
      ["\\p{Foo}", "error parsing regexp: invalid character class range: `\\p{Foo}`"],
      ["\\pX", "error parsing regexp: invalid character class range: `\\pX`"],
      ["\\p", "error parsing regexp: invalid character class range: `\\p`"],
      ["(?P<>a)", "error parsing regexp: invalid named capture: `(?P<>`"],
      ["(?P<a-b>x)", "error parsing regexp: invalid named capture: `(?P<a-b>`"],
      ["(?P<n", "error parsing regexp: invalid named capture: `(?P<n`"],
      ["(?=a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"],
      ["(?!a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?!`"],
      ["(?<=a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?<`"],
      ["(?<n>a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?<`"],
      ["(?z)", "error parsing regexp: invalid or unsupported Perl syntax: `(?z`"],
      ["(?i", "error parsing regexp: invalid or unsupported Perl syntax: `(?i`"],
      ["(?-)", "error parsing regexp: invalid or unsupported Perl syntax: `(?-)`"],
      ["(?i-)", "error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`"],
      ["a{1001}", "error parsing regexp: invalid repeat count: `{1001}`"],
      ["a{2,1}", "error parsing regexp: invalid repeat count: `{2,1}`"],
      ["a{01}", ""],
      ["a{1}{2}", "error parsing regexp: invalid nested repetition operator: `{1}{2}`"],
      ["\\x{110000}", "error parsing regexp: invalid escape sequence: `\\x{110000`"],
      ["\\xZ1", "error parsing regexp: invalid escape sequence: `\\xZ1`"],
      ["\\x", "error parsing regexp: invalid escape sequence: `\\x`"],
      ["[\\d-z]", "4,7,11,17,18"],
      ["[a\\]]", "0,2,3,4,8,10,14,16,17"],
      ["[\\b]", "error parsing regexp: invalid escape sequence: `\\b`"],
      ["^*", "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22"],
      ["\\b+", "0,1,2,3,4,5,6,7,8,10,11,13,14,16,17,18,20,21"],
      ["x{2}?", ""],
      ["a{3}*", "error parsing regexp: invalid nested repetition operator: `{3}*`"],
      ["(?i)[a-c]+", "0,1,2,3,4,5,6,8,10,14,16,17"],
      ["(?i)[^a]", "0,1,2,3,4,5,6,7,10,11,12,13,14,15,16,17,18,19,20,21,22"],
      ["[^\\n]", "0,1,2,3,4,5,6,7,8,10,11,12,13,14,15,16,17,18,19,20,21,22"],
    ];
    const mismatches: string[] = [];
    for (const [pattern, want] of table) {
      let have: string;
      try {
        const re = compileGoRegex(pattern);
        have = SUBJECTS.flatMap((s, i) => (re.test(s) ? [i] : [])).join(',');
      } catch (err) {
        expect(err, pattern).to.be.instanceOf(RegexSyntaxError);
        have = (err as Error).message;
      }
      if (have !== want) mismatches.push(`${pattern}: want ${want} have ${have}`);
    }
    expect(mismatches).to.deep.equal([]);
  });

  it('matches in linear time: patterns that stall a backtracking engine finish (under the test timeout)', () => {
    // Catastrophic for a backtracking engine: (a+)+$ against "aaa…ab".
    expect(compileGoRegex('^(a+)+$').test(`${'a'.repeat(5000)}b`)).to.equal(false);
    expect(compileGoRegex('(x*)*y').test('x'.repeat(5000))).to.equal(false);
  });

  it('refuses repetitions too large to run cheaply, and nesting too deep', () => {
    expect(() => compileGoRegex('(((a{100}){100}){100})')).to.throw(RegexSyntaxError, /invalid repeat count|expression too large/);
    expect(() => compileGoRegex(`${'('.repeat(1500)}a${')'.repeat(1500)}`)).to.throw(RegexSyntaxError, /nests too deeply/);
    expect(compileGoRegex(`${'('.repeat(500)}a${')'.repeat(500)}`).test('xa')).to.equal(true);
  });
});
