import { expect } from 'chai';
import type { Expression } from './ast.js';
import { parseFilter } from './grammar.js';

/** A compact rendering of the tree: (and L R), (or L R), (not X), [["Selector"."parts"] OP "value"]. */
function show(e: Expression): string {
  switch (e.kind) {
    case 'and':
    case 'or':
      return `(${e.kind} ${show(e.left)} ${show(e.right)})`;
    case 'not':
      return `(not ${show(e.operand)})`;
    case 'match':
      return `[[${e.selector.map((s) => JSON.stringify(s)).join('.')}] ${e.operator}${e.value === undefined ? '' : ` ${JSON.stringify(e.value)}`}]`;
  }
}

function parse(text: string): string {
  const r = parseFilter(text);
  if (!r.ok) throw new Error(`${JSON.stringify(text)} did not parse: ${r.message}`);
  return show(r.expression);
}

function error(text: string): string {
  const r = parseFilter(text);
  if (r.ok) throw new Error(`${JSON.stringify(text)} parsed as ${show(r.expression)}`);
  return r.message;
}

describe('filter grammar', () => {
  it('reads every match operator', () => {
    const table: Array<[string, string]> = [
      ['Port == 80', '["Port"] Equal "80"'],
      ['Port != 80', '["Port"] Not Equal "80"'],
      ['"a" in Tags', '["Tags"] In "a"'],
      ['"a" not in Tags', '["Tags"] Not In "a"'],
      ['Tags contains "a"', '["Tags"] In "a"'],
      ['Tags not contains "a"', '["Tags"] Not In "a"'],
      ['Tags is empty', '["Tags"] Is Empty'],
      ['Tags is not empty', '["Tags"] Is Not Empty'],
      ['Service matches "^w"', '["Service"] Matches "^w"'],
      ['Service not matches "^w"', '["Service"] Not Matches "^w"'],
    ];
    for (const [text, want] of table) expect(parse(text), text).to.equal(`[${want}]`);
  });

  it('binds not tighter than and, and tighter than or; parentheses override', () => {
    expect(parse('A == 1 and not B == 2 or C == 3')).to.equal('(or (and [["A"] Equal "1"] (not [["B"] Equal "2"])) [["C"] Equal "3"])');
    expect(parse('A == 1 and (not B == 2 or C == 3)')).to.equal('(and [["A"] Equal "1"] (or (not [["B"] Equal "2"]) [["C"] Equal "3"]))');
    expect(parse('not (A == 1 or B == 2)')).to.equal('(not (or [["A"] Equal "1"] [["B"] Equal "2"]))');
    // and/or group to the right; `not not` folds away, as go-bexpr does.
    expect(parse('A == 1 or B == 2 or C == 3')).to.equal('(or [["A"] Equal "1"] (or [["B"] Equal "2"] [["C"] Equal "3"]))');
    expect(parse('not not A == 1')).to.equal('[["A"] Equal "1"]');
    expect(parse('not not not A == 1')).to.equal('(not [["A"] Equal "1"])');
    expect(parse(' ( A == 1 ) ')).to.equal('[["A"] Equal "1"]');
    expect(parse('((A == 1) and (B == 2))')).to.equal('(and [["A"] Equal "1"] [["B"] Equal "2"])');
  });

  it('reads dotted and ["key"] selectors', () => {
    expect(parse('Service.Meta.env == x')).to.equal('[["Service"."Meta"."env"] Equal "x"]');
    expect(parse('Meta["some key"] == x')).to.equal('[["Meta"."some key"] Equal "x"]');
    expect(parse('Meta[ `a.b` ].c == x')).to.equal('[["Meta"."a.b"."c"] Equal "x"]');
    expect(parse('TaggedAddresses["lan"].Port == 1')).to.equal('[["TaggedAddresses"."lan"."Port"] Equal "1"]');
    expect(parse('a_1.B2 == x')).to.equal('[["a_1"."B2"] Equal "x"]');
  });

  it('takes values unquoted, double-quoted with Go escapes, or raw in backticks', () => {
    const table: Array<[string, string]> = [
      ['x == word', 'word'],
      ['x == some.dotted["key"]', 'some.dotted.key'], // an unquoted value is a selector, joined with dots
      ['x == -12.5', '-12.5'],
      ['x == 0', '0'],
      ['x == "a b"', 'a b'],
      ['x == "tab\\there"', 'tab\there'],
      ['x == "\\u00e9\\x41\\101\\\\"', 'éAA\\'],
      ['x == "\\xc3\\xa9"', 'é'],
      ['x == `raw \\n "quotes"`', 'raw \\n "quotes"'],
      ['x == `a\r\nb`', 'a\nb'],
      ['x == ""', ''],
      ['x==y', 'y'],
      ['x\t==\n"y"', 'y'],
    ];
    for (const [text, want] of table) {
      const r = parseFilter(text);
      expect(r.ok && r.expression.kind === 'match' && r.expression.value, text).to.equal(want);
    }
  });

  it('reports mistakes with Consul 1.8.7\'s text and line:column (byte offset)', () => {
    // Each row was answered by a Consul 1.8.7 agent (after its "Failed to create boolean expression evaluator: ").
    const table: Array<[string, string]> = [
      ["Meta.env ==", "1:12 (11): no match found, expected: \"-\", \"0\", \"\\\"\", \"`\", [ \\t\\r\\n], [1-9] or [a-zA-Z]"],
      ["Meta.env", "1:9 (8): no match found, expected: \"!=\", \".\", \"==\", \"[\", [ \\t\\r\\n] or [a-zA-Z0-9_]"],
      ["==", "1:1 (0): no match found, expected: \"(\", \"-\", \"0\", \"\\\"\", \"`\", \"not\", [ \\t\\r\\n], [1-9] or [a-zA-Z]"],
      ["(", "1:2 (1): no match found, expected: \"(\", \"-\", \"0\", \"\\\"\", \"`\", \"not\", [ \\t\\r\\n], [1-9] or [a-zA-Z]"],
      ["()", "1:2 (1): no match found, expected: \"(\", \"-\", \"0\", \"\\\"\", \"`\", \"not\", [ \\t\\r\\n], [1-9] or [a-zA-Z]"],
      ["(Meta.env == qa", "1:16 (15): rule \"grouping\": Unmatched parentheses"],
      ["Meta.env == qa)", "1:15 (14): no match found, expected: \".\", \"[\", [ \\t\\r\\n], [a-zA-Z0-9_] or EOF"],
      ["Meta.env == qa and", "1:19 (18): no match found, expected: [ \\t\\r\\n]"],
      ["Meta.env == qa or", "1:18 (17): no match found, expected: [ \\t\\r\\n]"],
      ["not", "1:4 (3): no match found, expected: \"!=\", \".\", \"==\", \"[\", [ \\t\\r\\n] or [a-zA-Z0-9_]"],
      ["not Meta.env", "1:13 (12): no match found, expected: \"!=\", \".\", \"==\", \"[\", [ \\t\\r\\n] or [a-zA-Z0-9_]"],
      ["Meta.env == \"qa", "1:16 (15): rule \"string\": Unterminated string literal"],
      ["Meta.env == `qa", "1:16 (15): rule \"string\": Unterminated string literal"],
      ["Meta.env == \"a\\qb\"", "1:13 (12): rule \"string\": invalid syntax"],
      ["Meta.env == \"a\\\"b\"", "1:13 (12): rule \"string\": invalid syntax"],
      ["Meta.env == 01", "1:14 (13): rule \"number\": Invalid number literal"],
      ["Meta.env == 1.", "1:14 (13): rule \"number\": Invalid number literal"],
      ["Meta.env == -", "1:14 (13): no match found, expected: \"0\" or [1-9]"],
      ["Meta.env == 1a", "1:14 (13): rule \"number\": Invalid number literal"],
      ["Meta[", "1:6 (5): rule \"index\": Invalid index"],
      ["Meta[\"env\"", "1:11 (10): rule \"index\": Unclosed index expression"],
      ["Meta[env] == x", "1:6 (5): rule \"index\": Invalid index"],
      ["\"qa\" in", "1:8 (7): no match found, expected: [ \\t\\r\\n]"],
      ["\"qa\" in 5", "1:9 (8): rule \"match\": Invalid selector"],
      ["\"qa\" in \"x\"", "1:9 (8): rule \"match\": Invalid selector"],
      ["Tags contains", "1:14 (13): no match found, expected: [ \\t\\r\\n]"],
      ["Tags is", "1:8 (7): no match found, expected: [ \\t\\r\\n]"],
      ["Tags is not", "1:12 (11): no match found, expected: [ \\t\\r\\n]"],
      ["Tags is nothing", "1:12 (11): no match found, expected: [ \\t\\r\\n]"],
      ["Meta.env === qa", "1:12 (11): no match found, expected: \"-\", \"0\", \"\\\"\", \"`\", [ \\t\\r\\n], [1-9] or [a-zA-Z]"],
      ["Meta.env = qa", "1:10 (9): no match found, expected: \"!=\", \"==\", \"contains\", \"in\", \"is\", \"matches\", \"not\" or [ \\t\\r\\n]"],
      ["Meta.env != ", "1:13 (12): no match found, expected: \"-\", \"0\", \"\\\"\", \"`\", [ \\t\\r\\n], [1-9] or [a-zA-Z]"],
      ["1 == Port", "1:3 (2): no match found, expected: \"in\", \"not\" or [ \\t\\r\\n]"],
      ["Port == 1 and and", "1:18 (17): no match found, expected: \"!=\", \".\", \"==\", \"[\", [ \\t\\r\\n] or [a-zA-Z0-9_]"],
      ["Port == 1 or or Port == 2", "1:17 (16): no match found, expected: \"!=\", \"==\", \"contains\", \"in\", \"is\", \"matches\", \"not\" or [ \\t\\r\\n]"],
      ["not(Port == 1)", "1:4 (3): no match found, expected: \"!=\", \".\", \"==\", \"[\", [ \\t\\r\\n] or [a-zA-Z0-9_]"],
      ["(Port == 1)and(Port == 2)", "1:12 (11): no match found, expected: [ \\t\\r\\n] or EOF"],
      ["Port == 1 and(Port == 2)", "1:14 (13): no match found, expected: [ \\t\\r\\n]"],
      ["((Port == 1)", "1:13 (12): rule \"grouping\": Unmatched parentheses"],
      ["(Port == 1))", "1:12 (11): no match found, expected: [ \\t\\r\\n] or EOF"],
      ["  ", "1:3 (2): no match found, expected: \"(\", \"-\", \"0\", \"\\\"\", \"`\", \"not\", [ \\t\\r\\n], [1-9] or [a-zA-Z]"],
      ["Meta.env == qa extra", "1:16 (15): no match found, expected: \"and\", \"or\", [ \\t\\r\\n] or EOF"],
      ["Meta.env == \"\\'\"", "1:13 (12): rule \"string\": invalid syntax"],
      ["é == x", "1:1 (0): no match found, expected: \"(\", \"-\", \"0\", \"\\\"\", \"`\", \"not\", [ \\t\\r\\n], [1-9] or [a-zA-Z]"],
      ["Meta.é == x", "1:6 (5): no match found, expected: [a-zA-Z]"],
      ["Meta.env == \"a\nb\"", "1:13 (12): rule \"string\": invalid syntax"],
      ["Meta[\"a", "1:8 (7): rule \"string\": Unterminated string literal\n1:6 (5): rule \"index\": Invalid index"],
      ["Meta[\"a\"", "1:9 (8): rule \"index\": Unclosed index expression"],
      ["Meta[\"a\"]]", "1:10 (9): no match found, expected: \"!=\", \".\", \"==\", \"[\" or [ \\t\\r\\n]"],
      ["Meta.", "1:6 (5): no match found, expected: [a-zA-Z]"],
      ["Meta..env", "1:6 (5): no match found, expected: [a-zA-Z]"],
      ["Meta.env.", "1:10 (9): no match found, expected: [a-zA-Z]"],
      ["Meta.1", "1:6 (5): no match found, expected: [a-zA-Z]"],
      ["_x == 1", "1:1 (0): no match found, expected: \"(\", \"-\", \"0\", \"\\\"\", \"`\", \"not\", [ \\t\\r\\n], [1-9] or [a-zA-Z]"],
      ["Port matches", "1:13 (12): no match found, expected: [ \\t\\r\\n]"],
      ["Port == 1e5", "1:10 (9): rule \"number\": Invalid number literal"],
      ["Port == 0x50", "1:10 (9): rule \"number\": Invalid number literal"],
      ["Port == -01", "1:11 (10): rule \"number\": Invalid number literal"],
      ["Meta.env == 1.5.5", "1:16 (15): rule \"number\": Invalid number literal"],
      ["\"x\" notin Tags", "1:8 (7): no match found, expected: [ \\t\\r\\n]"],
      ["Tags notcontains x", "1:9 (8): no match found, expected: [ \\t\\r\\n]"],
      ["Meta.env == 1 or", "1:17 (16): no match found, expected: [ \\t\\r\\n]"],
      ["(Port == 1 or (Port == 2 and Tags is empty)", "1:44 (43): rule \"grouping\": Unmatched parentheses"],
      ["Port == 1 )", "1:11 (10): no match found, expected: \"and\", \"or\", [ \\t\\r\\n] or EOF"],
      ["( Port == 1 ) x", "1:15 (14): no match found, expected: \"and\", \"or\", [ \\t\\r\\n] or EOF"],
      ["Port == 1 andPort == 2", "1:14 (13): no match found, expected: [ \\t\\r\\n]"],
      ["Meta[\"e\\\"nv\"] == qa", "1:6 (5): rule \"string\": invalid syntax\n1:10 (9): rule \"index\": Unclosed index expression"],
      ["Port == 1\nand Port ==", "2:12 (21): no match found, expected: \"-\", \"0\", \"\\\"\", \"`\", [ \\t\\r\\n], [1-9] or [a-zA-Z]"],
      ["Meta.env == \"é\" x", "1:17 (17): no match found, expected: \"and\", \"or\", [ \\t\\r\\n] or EOF"],
      ["Port == 1 and\n\tTags is nothing", "2:13 (26): no match found, expected: [ \\t\\r\\n]"],
      ["\n\nPort", "3:5 (6): no match found, expected: \"!=\", \".\", \"==\", \"[\", [ \\t\\r\\n] or [a-zA-Z0-9_]"],
      ["Meta.env == `a\r\nb` and", "2:7 (22): no match found, expected: [ \\t\\r\\n]"],
      ["Meta.env == \"😀\" or", "1:19 (21): no match found, expected: [ \\t\\r\\n]"],
      ["Port == 1\r\n)", "2:1 (11): no match found, expected: \"and\", \"or\", [ \\t\\r\\n] or EOF"],
    ];
    for (const [text, want] of table) expect(error(text), JSON.stringify(text)).to.equal(want);
  });

  it('parses deep nesting in linear time and refuses nesting that could exhaust the stack', () => {
    // Consul 1.8 re-parses nested groups and needs minutes for a dozen levels; memoised rules do not.
    const started = Date.now();
    expect(parse(`${'('.repeat(100)}A == 1${')'.repeat(100)}`)).to.equal('[["A"] Equal "1"]');
    expect(error(`${'('.repeat(100)}A == 1${')'.repeat(99)}`)).to.equal('1:206 (205): rule "grouping": Unmatched parentheses');
    expect(parse(Array(300).fill('A == 1').join(' and '))).to.match(/^\(and /);
    expect(Date.now() - started).to.be.below(10_000);
    expect(error(`${'('.repeat(5000)}A == 1${')'.repeat(5000)}`)).to.match(/^1:\d+ \(\d+\): expression nests too deeply/);
    expect(error('not '.repeat(5000) + 'A == 1')).to.match(/expression nests too deeply/);
  });
});
