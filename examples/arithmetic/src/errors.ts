/** Every error code, for the status table and the documentation test. */
export const ERROR_CODES = [
  'ARITH_ERR_DIVISION_BY_ZERO',
  'ARITH_ERR_OVERFLOW',
  'ARITH_ERR_INVALID_OPERAND',
  'ARITH_ERR_NOT_FOUND',
  'ARITH_ERR_METHOD_NOT_ALLOWED',
  'ARITH_ERR_UPSTREAM',
  'ARITH_ERR_INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Every failure the example reports, each with a stable code. The service throws only
 * DivisionByZeroError and OverflowError; the transports throw the rest. One table in
 * http-router.ts (STATUS_BY_CODE) turns codes into HTTP statuses; ARITH_ERR_INTERNAL is what
 * any other exception becomes there. README.md documents each code (a test checks it).
 */
export abstract class ArithmeticError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** div with a divisor of 0. */
export class DivisionByZeroError extends ArithmeticError {
  readonly code = 'ARITH_ERR_DIVISION_BY_ZERO';

  constructor() {
    super('division by zero');
  }
}

/** The result is not a finite number (JSON cannot carry it). */
export class OverflowError extends ArithmeticError {
  readonly code = 'ARITH_ERR_OVERFLOW';

  constructor(op: string) {
    super(`the result of ${op} is out of range`);
  }
}

/** An operand in the path is not a finite decimal number. */
export class InvalidOperandError extends ArithmeticError {
  readonly code = 'ARITH_ERR_INVALID_OPERAND';

  constructor(text: string) {
    super(`${JSON.stringify(text)} is not a number`);
  }
}

/** No such route, or no such operation. */
export class NotFoundError extends ArithmeticError {
  readonly code = 'ARITH_ERR_NOT_FOUND';
}

/** The route exists, the method does not. */
export class MethodNotAllowedError extends ArithmeticError {
  readonly code = 'ARITH_ERR_METHOD_NOT_ALLOWED';

  constructor(
    method: string,
    readonly allow: string[],
  ) {
    super(`${method} is not allowed here; use ${allow.join(', ')}`);
  }
}

/** The gateway could not get an answer from any instance (every attempt failed, or the deadline passed). */
export class UpstreamError extends ArithmeticError {
  readonly code = 'ARITH_ERR_UPSTREAM';
}
