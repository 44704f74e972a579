/**
 * The shape of what a filter selects from: which selectors exist, and for each the type that
 * decides its operators and how a written value is read. It mirrors how go-bexpr derives
 * selectors from Consul's Go types, so the same selectors are valid with the same operators:
 *
 * - string:            == != in/contains (substring) matches
 * - int, bool:         == != (the value must read as one)
 * - struct:            no operator; its fields are selectors below it
 * - map (string keys): is [not] empty, in/contains (a key); any key is a selector below it
 * - list of scalars:   is [not] empty, in/contains (an element)
 * - list of structs:   is [not] empty; the element's fields are selectors below it, and a match
 *                      below it holds when it holds for any element
 */
export type FieldType =
  | { readonly kind: 'string' }
  | { readonly kind: 'int' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'struct'; readonly fields: Readonly<Record<string, FieldType>> }
  | { readonly kind: 'map'; readonly elem: FieldType }
  | { readonly kind: 'list'; readonly elem: FieldType };

export type StructType = Extract<FieldType, { kind: 'struct' }>;

export const STRING: FieldType = { kind: 'string' };
export const INT: FieldType = { kind: 'int' };
export const BOOL: FieldType = { kind: 'bool' };
export const struct = (fields: Record<string, FieldType>): StructType => ({ kind: 'struct', fields });
export const mapOf = (elem: FieldType): FieldType => ({ kind: 'map', elem });
export const listOf = (elem: FieldType): FieldType => ({ kind: 'list', elem });

export function isScalar(t: FieldType): boolean {
  return t.kind === 'string' || t.kind === 'int' || t.kind === 'bool';
}
