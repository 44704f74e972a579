import type * as http from 'node:http';
import type { Logger } from 'winston';
import { InvalidOperandError, NotFoundError } from './errors.js';
import { ok, router, type Route } from './http-router.js';
import { isOperation, OPERATIONS, type ArithmeticService, type Operation } from './service.js';

/** One calculation, decoded from `/calculate/{op}/{a}/{b}`. */
export interface CalculateRequest {
  op: Operation;
  a: number;
  b: number;
}

/** The answer to a calculation that succeeded. */
export interface CalculateResult {
  result: number;
}

/** `/calculate/{op}/{a}/{b}`, each segment captured. */
export const CALCULATE_PATH = /^\/calculate\/([^/]+)\/([^/]+)\/([^/]+)$/;

/** A decimal number as JavaScript prints one: 12, -0.5, .5, 1e+21. */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function decodeOperand(text: string): number {
  const v = NUMBER.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(v)) throw new InvalidOperandError(text);
  return v;
}

/** The captured segments of CALCULATE_PATH as a request: an unknown op is 404, a bad operand 400. */
export function decodeCalculate([op, a, b]: string[]): CalculateRequest {
  if (!isOperation(op)) throw new NotFoundError(`unknown operation ${JSON.stringify(op)}; use ${OPERATIONS.join(', ')}`);
  return { op, a: decodeOperand(a), b: decodeOperand(b) };
}

/** The path that asks for `req`; decodeCalculate reads it back. */
export function encodeCalculatePath(req: CalculateRequest): string {
  return `/calculate/${req.op}/${encodeURIComponent(String(req.a))}/${encodeURIComponent(String(req.b))}`;
}

/**
 * The service over HTTP:
 * - `GET /calculate/{add|sub|mul|div}/{a}/{b}` → 200 `{result}`; 400 `{error, code}` for a bad
 *   operand, division by zero or an out-of-range result; 404 for an unknown operation.
 * - `GET /health` → 200 `{status: "passing"}` (the registry's HTTP check).
 * - any other path 404, any other method 405 with Allow.
 */
export function makeHttpHandler(service: ArithmeticService, logger: Logger): http.RequestListener {
  const routes: Route[] = [
    {
      pattern: CALCULATE_PATH,
      methods: {
        GET: (params) => {
          const { op, a, b } = decodeCalculate(params);
          const result: CalculateResult = { result: service[op](a, b) };
          return ok(result);
        },
      },
    },
    { pattern: /^\/health$/, methods: { GET: () => ok({ status: 'passing' }) } },
  ];
  return router(routes, logger);
}
