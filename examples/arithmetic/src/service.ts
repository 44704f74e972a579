import { DivisionByZeroError, OverflowError } from './errors.js';

/** The operations, as they appear in `/calculate/{op}/{a}/{b}`. */
export const OPERATIONS = ['add', 'sub', 'mul', 'div'] as const;
export type Operation = (typeof OPERATIONS)[number];

export function isOperation(s: string): s is Operation {
  return (OPERATIONS as readonly string[]).includes(s);
}

/**
 * The arithmetic service: pure functions of two finite numbers, no I/O. Each returns a finite
 * number or throws: div by 0 throws DivisionByZeroError, a result JSON cannot carry (±Infinity)
 * throws OverflowError.
 */
export interface ArithmeticService {
  add(a: number, b: number): number;
  sub(a: number, b: number): number;
  mul(a: number, b: number): number;
  div(a: number, b: number): number;
}

function finite(op: Operation, v: number): number {
  if (!Number.isFinite(v)) throw new OverflowError(op);
  return v;
}

/** The one implementation. */
export function newArithmeticService(): ArithmeticService {
  return {
    add: (a, b) => finite('add', a + b),
    sub: (a, b) => finite('sub', a - b),
    mul: (a, b) => finite('mul', a * b),
    div: (a, b) => {
      if (b === 0) throw new DivisionByZeroError();
      return finite('div', a / b);
    },
  };
}
