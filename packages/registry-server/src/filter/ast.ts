/**
 * The syntax tree of a filter expression (Consul's `?filter=`, go-bexpr's language).
 * Operator names are the ones Consul prints in its error messages ("Not Equal", "Is Empty").
 */

export type MatchOperator = 'Equal' | 'Not Equal' | 'In' | 'Not In' | 'Is Empty' | 'Is Not Empty' | 'Matches' | 'Not Matches';

/** `selector op value`, `selector is [not] empty` or `value [not] in selector`. */
export interface MatchExpression {
  kind: 'match';
  /** Field names from the root: `Meta.env` and `Meta["env"]` are both ['Meta', 'env']. */
  selector: string[];
  operator: MatchOperator;
  /** The value as written (quotes removed, escapes expanded); absent for the emptiness checks. */
  value?: string;
}

export interface NotExpression {
  kind: 'not';
  operand: Expression;
}

export interface BinaryExpression {
  kind: 'and' | 'or';
  left: Expression;
  right: Expression;
}

export type Expression = MatchExpression | NotExpression | BinaryExpression;
