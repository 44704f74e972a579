import type { Expression, MatchExpression, MatchOperator } from './ast.js';
import { goUnquote } from './go-strings.js';
import { PegState, action, and, anyChar, choice, cls, lit, not, opt, plus, ref, refuse, rule, seq, star, type Expr, type Rule } from './peg.js';

/**
 * The filter language, rule for rule as go-bexpr (v0.1.2, the version in Consul 1.8) defines
 * it, so that what parses, what it means and what a mistake reports are the same:
 *
 *   Input       <- _? "(" _? Or _? ")" _? EOF / _? Or _? EOF
 *   Or          <- And _ "or" _ Or / And
 *   And         <- Not _ "and" _ And / Not
 *   Not         <- "not" _ Not / Grouping
 *   Grouping    <- "(" _? Or _? ")" / Match / "(" _? Or _? !")" {Unmatched parentheses}
 *   Match       <- Selector op Value / Selector (is empty | is not empty) / Value (in | not in) Selector
 *   Selector    <- Identifier ("." Identifier / "[" _? String _? "]")*
 *   Value       <- Selector / Number / String
 *
 * `contains` is `in` with the operands swapped; whitespace is required around the word
 * operators and optional around `==` and `!=`; an unquoted value is a selector-shaped word.
 */

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isDigit = (c: string) => c >= '0' && c <= '9';

const Input = rule<Expression>('Input');
const Or = rule<Expression>('OrExpression');
const And = rule<Expression>('AndExpression');
const Not = rule<Expression>('NotExpression');
const Grouping = rule<Expression>('ParenthesizedExpression', 'grouping');
const Match = rule<MatchExpression>('MatchExpression', 'match');
const SelectorOpValue = rule<MatchExpression>('MatchSelectorOpValue', 'match');
const SelectorOp = rule<MatchExpression>('MatchSelectorOp', 'match');
const ValueOpSelector = rule<MatchExpression>('MatchValueOpSelector', 'match');
const Selector = rule<string[]>('Selector', 'selector');
const Identifier = rule<string>('Identifier');
const SelectorOrIndex = rule<string>('SelectorOrIndex');
const Index = rule<string>('IndexExpression', 'index');
const Value = rule<string>('Value', 'value');
const NumberLiteral = rule<string>('NumberLiteral', 'number');
const AfterNumbers = rule<undefined>('AfterNumbers');
const IntegerOrFloat = rule<unknown>('IntegerOrFloat');
const StringLiteral = rule<string>('StringLiteral', 'string');
const RawStringChar = rule<string>('RawStringChar');
const DoubleStringChar = rule<string>('DoubleStringChar');
const Whitespace = rule<string[]>('_', 'whitespace');
const EOF = rule<undefined>('EOF');

const _ = ref(Whitespace);
const _opt = opt(_);

/** An operator rule: the words, each separated by required whitespace, with whitespace around. */
function operator(name: string, op: MatchOperator, e: Expr<unknown>): Rule<MatchOperator> {
  const r = rule<MatchOperator>(name);
  r.expr = action(e, () => op);
  return r;
}
const Equal = operator('MatchEqual', 'Equal', seq(_opt, lit('=='), _opt));
const NotEqual = operator('MatchNotEqual', 'Not Equal', seq(_opt, lit('!='), _opt));
const IsEmpty = operator('MatchIsEmpty', 'Is Empty', seq(_, lit('is'), _, lit('empty')));
const IsNotEmpty = operator('MatchIsNotEmpty', 'Is Not Empty', seq(_, lit('is'), _, lit('not'), _, lit('empty')));
const In = operator('MatchIn', 'In', seq(_, lit('in'), _));
const NotIn = operator('MatchNotIn', 'Not In', seq(_, lit('not'), _, lit('in'), _));
const Contains = operator('MatchContains', 'In', seq(_, lit('contains'), _));
const NotContains = operator('MatchNotContains', 'Not In', seq(_, lit('not'), _, lit('contains'), _));
const Matches = operator('MatchMatches', 'Matches', seq(_, lit('matches'), _));
const NotMatches = operator('MatchNotMatches', 'Not Matches', seq(_, lit('not'), _, lit('matches'), _));

Input.expr = choice(
  action(seq(_opt, lit('('), _opt, ref(Or), _opt, lit(')'), _opt, ref(EOF)), (v) => v[3]),
  action(seq(_opt, ref(Or), _opt, ref(EOF)), (v) => v[1]),
);

Or.expr = choice<Expression>(
  action(seq(ref(And), _, lit('or'), _, ref(Or)), ([left, , , , right]) => ({ kind: 'or', left, right })),
  ref(And),
);

And.expr = choice<Expression>(
  action(seq(ref(Not), _, lit('and'), _, ref(And)), ([left, , , , right]) => ({ kind: 'and', left, right })),
  ref(Not),
);

// `not not x` is x, as go-bexpr folds it.
Not.expr = choice<Expression>(
  action(seq(lit('not'), _, ref(Not)), ([, , operand]) => (operand.kind === 'not' ? operand.operand : { kind: 'not', operand })),
  ref(Grouping),
);

Grouping.expr = choice<Expression>(
  action(seq(lit('('), _opt, ref(Or), _opt, lit(')')), (v) => v[2]),
  ref(Match),
  seq(lit('('), _opt, ref(Or), _opt, not(lit(')')), refuse('Unmatched parentheses')) as Expr<never>,
);

Match.expr = choice(ref(SelectorOpValue), ref(SelectorOp), ref(ValueOpSelector));

SelectorOpValue.expr = action(
  seq(ref(Selector), choice(ref(Equal), ref(NotEqual), ref(Contains), ref(NotContains), ref(Matches), ref(NotMatches)), ref(Value)),
  ([selector, operator, value]) => ({ kind: 'match', selector, operator, value }),
);

SelectorOp.expr = action(seq(ref(Selector), choice(ref(IsEmpty), ref(IsNotEmpty))), ([selector, operator]) => ({ kind: 'match', selector, operator }));

ValueOpSelector.expr = choice<MatchExpression>(
  action(seq(ref(Value), choice(ref(In), ref(NotIn)), ref(Selector)), ([value, operator, selector]) => ({ kind: 'match', selector, operator, value })),
  seq(ref(Value), choice(ref(In), ref(NotIn)), not(ref(Selector)), refuse('Invalid selector')) as Expr<never>,
);

Selector.expr = action(seq(ref(Identifier), star(ref(SelectorOrIndex))), ([first, rest]) => [first, ...rest]);

Identifier.expr = action(
  seq(
    cls('[a-zA-Z]', isLetter),
    star(cls('[a-zA-Z0-9_]', (c) => isLetter(c) || isDigit(c) || c === '_')),
  ),
  (_v, text) => text(),
);

SelectorOrIndex.expr = choice(
  action(seq(lit('.'), ref(Identifier)), (v) => v[1]),
  ref(Index),
);

Index.expr = choice<string>(
  action(seq(lit('['), _opt, ref(StringLiteral), _opt, lit(']')), (v) => v[2]),
  seq(lit('['), _opt, not(ref(StringLiteral)), refuse('Invalid index')) as Expr<never>,
  seq(lit('['), _opt, ref(StringLiteral), _opt, not(lit(']')), refuse('Unclosed index expression')) as Expr<never>,
);

Value.expr = choice(
  action(ref(Selector), (sel) => sel.join('.')),
  ref(NumberLiteral),
  ref(StringLiteral),
);

NumberLiteral.expr = choice<string>(
  action(seq(opt(lit('-')), ref(IntegerOrFloat), and(ref(AfterNumbers))), (_v, text) => text()),
  seq(opt(lit('-')), ref(IntegerOrFloat), not(ref(AfterNumbers)), refuse('Invalid number literal')) as Expr<never>,
);

AfterNumbers.expr = and(choice<unknown>(_, ref(EOF), lit(')')));

IntegerOrFloat.expr = seq(
  choice<unknown>(lit('0'), seq(cls('[1-9]', (c) => c >= '1' && c <= '9'), star(cls('[0-9]', isDigit)))),
  opt(seq(lit('.'), plus(cls('[0-9]', isDigit)))),
);

const quoted = choice<unknown>(seq(lit('`'), star(ref(RawStringChar)), lit('`')), seq(lit('"'), star(ref(DoubleStringChar)), lit('"')));
const unterminated = choice<unknown>(seq(lit('`'), star(ref(RawStringChar))), seq(lit('"'), star(ref(DoubleStringChar))));

StringLiteral.expr = choice<string>(
  // Go's strconv.Unquote; on failure the error is kept but parsing goes on, as in go-bexpr.
  action(quoted, (_v, text, report) => {
    const s = goUnquote(text());
    if (s === undefined) report('invalid syntax');
    return s ?? '';
  }),
  seq(unterminated, ref(EOF), refuse('Unterminated string literal')) as Expr<never>,
);

RawStringChar.expr = action(seq(not(lit('`')), anyChar), (v) => v[1]);
DoubleStringChar.expr = action(seq(not(lit('"')), anyChar), (v) => v[1]);
Whitespace.expr = plus(cls('[ \\t\\r\\n]', isSpace));
EOF.expr = not(anyChar);

export type ParseResult = { ok: true; expression: Expression } | { ok: false; message: string };

/** Parses a filter expression; a mistake comes back as Consul's message, with its position(s). */
export function parseFilter(text: string): ParseResult {
  const r = new PegState(text).run(Input);
  return 'error' in r ? { ok: false, message: r.error } : { ok: true, expression: r.value };
}

