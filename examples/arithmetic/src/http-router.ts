import type * as http from 'node:http';
import type { Logger } from 'winston';
import { ArithmeticError, MethodNotAllowedError, NotFoundError, type ErrorCode } from './errors.js';

/** What a handler answers: a status and a JSON body. */
export interface Reply {
  status: number;
  body: unknown;
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: string;
  code: string;
}

/** A handler gets the route's captured path segments (decoded); it returns a Reply or throws. */
export type Handler = (params: string[]) => Reply | Promise<Reply>;

/** One row of a route table: a path pattern and a handler per method. */
export interface Route {
  pattern: RegExp;
  methods: Partial<Record<string, Handler>>;
}

/** The one place codes become HTTP statuses. Anything that is not an ArithmeticError is a 500. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  ARITH_ERR_DIVISION_BY_ZERO: 400,
  ARITH_ERR_OVERFLOW: 400,
  ARITH_ERR_INVALID_OPERAND: 400,
  ARITH_ERR_NOT_FOUND: 404,
  ARITH_ERR_METHOD_NOT_ALLOWED: 405,
  ARITH_ERR_UPSTREAM: 503,
  ARITH_ERR_INTERNAL: 500,
};

export function ok(body: unknown): Reply {
  return { status: 200, body };
}

/** An error as a Reply: its code's status and an ErrorBody. */
export function errorReply(err: unknown): Reply & { body: ErrorBody } {
  if (err instanceof ArithmeticError) return { status: STATUS_BY_CODE[err.code], body: { error: err.message, code: err.code } };
  return { status: 500, body: { error: 'internal error', code: 'ARITH_ERR_INTERNAL' } };
}

function send(res: http.ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function decodeSegments(m: RegExpExecArray): string[] | null {
  try {
    return m.slice(1).map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

/**
 * A request listener over a route table: the first pattern that matches the path picks the
 * row; a method the row lacks answers 405 with Allow; no row answers 404. Handler errors
 * become error replies (an error that is not an ArithmeticError is also logged). Each request is logged at debug.
 */
export function router(routes: Route[], logger: Logger): http.RequestListener {
  const log = logger.child({ component: 'http' });
  return (req, res) => {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const answer = async (): Promise<{ reply: Reply; headers?: Record<string, string> }> => {
      for (const route of routes) {
        const m = route.pattern.exec(path);
        if (!m) continue;
        const handler = route.methods[method];
        if (!handler) {
          const e = new MethodNotAllowedError(method, Object.keys(route.methods));
          return { reply: errorReply(e), headers: { Allow: e.allow.join(', ') } };
        }
        const params = decodeSegments(m);
        if (!params) return { reply: errorReply(new NotFoundError(`no route for ${path}`)) };
        return { reply: await handler(params) };
      }
      return { reply: errorReply(new NotFoundError(`no route for ${path}`)) };
    };
    answer()
      .catch((err: unknown) => {
        const reply = errorReply(err);
        if (!(err instanceof ArithmeticError)) log.error('request failed', { method, path, error: (err as Error)?.message });
        return { reply, headers: undefined };
      })
      .then(({ reply, headers }) => {
        send(res, reply, headers);
        log.debug('request', { method, path, status: reply.status, ms: Date.now() - started });
      })
      .catch((err: unknown) => log.error('could not answer', { method, path, error: (err as Error)?.message }));
  };
}
