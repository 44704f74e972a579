import type { Expression, MatchOperator } from './ast.js';
import { coerce, type Scalar } from './coerce.js';
import { goQuote } from './go-strings.js';
import { compileGoRegex, RegexSyntaxError, type GoRegex } from './regexp.js';
import { isScalar, type FieldType, type StructType } from './schema.js';

/** A match whose selector was resolved against the schema and whose value was read. */
export interface CheckedMatch {
  kind: 'match';
  selector: string[];
  operator: MatchOperator;
  /** The field's type at each step of the selector: types[0] is the root, types[n] the selected field. */
  types: FieldType[];
  value?: Scalar | GoRegex;
}

/** A selector, operator, value or pattern the schema refuses; the message is Consul's. */
export class FilterCheckError extends Error {}

export type CheckedExpression = CheckedMatch | { kind: 'not'; operand: CheckedExpression } | { kind: 'and' | 'or'; left: CheckedExpression; right: CheckedExpression };

const STRING_OPS: MatchOperator[] = ['Equal', 'Not Equal', 'In', 'Not In', 'Matches', 'Not Matches'];
const SCALAR_OPS: MatchOperator[] = ['Equal', 'Not Equal'];
const MAP_OPS: MatchOperator[] = ['Is Empty', 'Is Not Empty', 'In', 'Not In'];
const SCALAR_LIST_OPS: MatchOperator[] = ['In', 'Not In', 'Is Empty', 'Is Not Empty'];
const STRUCT_LIST_OPS: MatchOperator[] = ['Is Empty', 'Is Not Empty'];

/** The operators a field supports, and the type its written value is read as. */
function operations(t: FieldType): { ops: MatchOperator[]; valueType?: FieldType } {
  switch (t.kind) {
    case 'string':
      return { ops: STRING_OPS, valueType: t };
    case 'int':
    case 'bool':
      return { ops: SCALAR_OPS, valueType: t };
    case 'struct':
      return { ops: [] };
    case 'map':
      return { ops: MAP_OPS, valueType: { kind: 'string' } };
    case 'list':
      return isScalar(t.elem) ? { ops: SCALAR_LIST_OPS, valueType: t.elem } : { ops: STRUCT_LIST_OPS };
  }
}

/** The field one step below `t` named `name` (any name below a map), if there is one. */
function child(t: FieldType, name: string): FieldType | undefined {
  if (t.kind === 'struct') return Object.hasOwn(t.fields, name) ? t.fields[name] : undefined;
  if (t.kind === 'map') return t.elem;
  if (t.kind === 'list' && t.elem.kind === 'struct') return child(t.elem, name);
  return undefined;
}

/**
 * Checks an expression against the schema of the items it will filter, as Consul does before
 * it runs a filter: every selector must exist, the operator must suit the field, the value
 * must read as the field's type and a pattern must compile. The first problem, left to right,
 * is thrown as a FilterCheckError with Consul's wording.
 */
export function check(e: Expression, root: StructType): CheckedExpression {
  if (e.kind === 'not') return { kind: 'not', operand: check(e.operand, root) };
  if (e.kind !== 'match') return { kind: e.kind, left: check(e.left, root), right: check(e.right, root) };
  const types: FieldType[] = [root];
  e.selector.forEach((name, i) => {
    const next = child(types[i], name);
    if (!next) throw new FilterCheckError(`Selector ${goQuote(e.selector.slice(0, i + 1).join('.'))} is not valid`);
    types.push(next);
  });
  const field = types[types.length - 1];
  const sel = goQuote(e.selector.join('.'));
  const { ops, valueType } = operations(field);
  if (!ops.includes(e.operator)) throw new FilterCheckError(`Invalid match operator ${goQuote(e.operator)} for selector ${sel}`);
  const out: CheckedMatch = { kind: 'match', selector: e.selector, operator: e.operator, types };
  if (e.value === undefined) return out;
  const v = valueType ? coerce(e.value, valueType) : e.value;
  if (typeof v === 'object') throw new FilterCheckError(`Failed to coerce value ${goQuote(e.value)} for selector ${sel}: ${v.error}`);
  out.value = v;
  if (e.operator === 'Matches' || e.operator === 'Not Matches') {
    try {
      out.value = compileGoRegex(String(v));
    } catch (err) {
      if (!(err instanceof RegexSyntaxError)) throw err;
      throw new FilterCheckError(`Failed to compile regular expression ${goQuote(String(v))}: ${err.message}`);
    }
  }
  return out;
}
