import type { MatchOperator } from './ast.js';
import type { GoRegex } from './regexp.js';
import type { FieldType } from './schema.js';
import type { CheckedExpression, CheckedMatch } from './validate.js';

/**
 * Evaluates a checked expression against one item as a client sees it (its JSON view).
 * A field the view leaves out, or null, counts as its type's zero value ("", 0, false, empty),
 * as the Go structs Consul filters hold zero values. A missing map key follows go-bexpr: only
 * the negative operators (!=, not in, is empty, not matches) hold. Below a list of structs a
 * match holds when it holds for any element.
 */
export function evaluate(e: CheckedExpression, item: unknown): boolean {
  switch (e.kind) {
    case 'not':
      return !evaluate(e.operand, item);
    case 'and':
      return evaluate(e.left, item) && evaluate(e.right, item);
    case 'or':
      return evaluate(e.left, item) || evaluate(e.right, item);
    case 'match':
      return walk(e, item, 0, 0);
  }
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (v: unknown, key: string): unknown => (isObject(v) && Object.hasOwn(v, key) ? v[key] : undefined);

const MISSING_KEY: Record<MatchOperator, boolean> = {
  Equal: false,
  'Not Equal': true,
  In: false,
  'Not In': true,
  'Is Empty': true,
  'Is Not Empty': false,
  Matches: false,
  'Not Matches': true,
};

/** `value` has type m.types[step] and the selector is consumed up to `depth`. */
function walk(m: CheckedMatch, value: unknown, depth: number, step: number): boolean {
  const type = m.types[step];
  if (depth === m.selector.length) return apply(m, value, type);
  const name = m.selector[depth];
  switch (type.kind) {
    case 'struct':
      return walk(m, own(value, name), depth + 1, step + 1);
    case 'map':
      if (!isObject(value) || !Object.hasOwn(value, name)) return MISSING_KEY[m.operator];
      return walk(m, value[name], depth + 1, step + 1);
    case 'list':
      // The element is a struct: its field is the next step, for any element.
      return Array.isArray(value) && value.some((el) => walk(m, own(el, name), depth + 1, step + 1));
    default:
      return false; // unreachable: check() allows no selector below a scalar
  }
}

function equal(type: FieldType, want: unknown, have: unknown): boolean {
  switch (type.kind) {
    case 'string':
      return (typeof have === 'string' ? have : '') === want;
    case 'int':
      return typeof have === 'number' && Number.isInteger(have) ? BigInt(have) === want : want === 0n;
    case 'bool':
      return (have === true) === want;
    default:
      return false;
  }
}

function apply(m: CheckedMatch, value: unknown, type: FieldType): boolean {
  const negative = m.operator === 'Not Equal' || m.operator === 'Not In' || m.operator === 'Is Not Empty' || m.operator === 'Not Matches';
  return positive(m, value, type) !== negative;
}

function positive(m: CheckedMatch, value: unknown, type: FieldType): boolean {
  switch (m.operator) {
    case 'Equal':
    case 'Not Equal':
      return equal(type, m.value, value);
    case 'In':
    case 'Not In':
      if (type.kind === 'map') return isObject(value) && Object.hasOwn(value, m.value as string);
      if (type.kind === 'list') return Array.isArray(value) && value.some((el) => equal(type.elem, m.value, el));
      return (typeof value === 'string' ? value : '').includes(m.value as string);
    case 'Is Empty':
    case 'Is Not Empty':
      if (type.kind === 'map') return !isObject(value) || Object.keys(value).length === 0;
      return !Array.isArray(value) || value.length === 0;
    case 'Matches':
    case 'Not Matches':
      return (m.value as GoRegex).test(typeof value === 'string' ? value : '');
  }
}
