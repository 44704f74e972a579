import { BadRequestError } from '../errors.js';
import { evaluate } from './evaluate.js';
import { parseFilter } from './grammar.js';
import type { StructType } from './schema.js';
import { check, FilterCheckError } from './validate.js';

/** A compiled `?filter=` expression: keeps the items (as a client sees them) that match. */
export interface Filter {
  matches(item: unknown): boolean;
}

/**
 * Parses and checks a filter expression for items of the given shape, once per request.
 * A bad expression is a BadRequestError carrying Consul's text: the syntax error with its
 * line:column (offset), an unknown selector, an operator the field does not support, a value
 * that is not of the field's type or a pattern that does not compile.
 */
export function compileFilter(expression: string, schema: StructType): Filter {
  const parsed = parseFilter(expression);
  let message: string;
  if (parsed.ok) {
    try {
      const checked = check(parsed.expression, schema);
      return { matches: (item) => evaluate(checked, item) };
    } catch (err) {
      if (!(err instanceof FilterCheckError)) throw err;
      message = err.message;
    }
  } else {
    message = parsed.message;
  }
  throw new BadRequestError(`Failed to create boolean expression evaluator: ${message}`);
}

/** The items of a list that pass (all of them without a filter). */
export function filterList<T>(items: T[], filter: Filter | undefined): T[] {
  return filter ? items.filter((i) => filter.matches(i)) : items;
}

/** The entries of an object keyed by ID whose values pass (all of them without a filter). */
export function filterValues<T>(entries: Record<string, T>, filter: Filter | undefined): Record<string, T> {
  if (!filter) return entries;
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => filter.matches(v)));
}
