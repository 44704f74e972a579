import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { Logger } from 'winston';
import { MethodNotAllowedError, PraetorError } from '../errors.js';
import { encodeJson } from './encode-json.js';
import type { Reply } from './reply.js';

const JSON_TYPE = 'application/json';

/**
 * Writes a handler's reply, with X-Consul-* headers on reads. A client that went away gets
 * nothing: there is no one to answer, and the write must not fail the process.
 */
export function respond(res: ServerResponse, reply: Reply, pretty: boolean): void {
  if (res.destroyed || res.writableEnded) return;
  // A flat [name, value, ...] list: the cheapest form writeHead takes.
  const headers: Array<string | number> = ['X-Consul-Default-Acl-Policy', 'allow'];
  if (reply.headers) for (const [k, v] of Object.entries(reply.headers)) headers.push(k, v);
  const meta = reply.meta;
  if (meta) {
    headers.push(
      'X-Consul-Index', String(meta.index),
      'X-Consul-Knownleader', meta.knownLeader === false ? 'false' : 'true',
      'X-Consul-Lastcontact', String(meta.lastContact ?? 0),
      'X-Consul-Effective-Consistency', meta.consistency,
    );
  }
  if (reply.stream) {
    headers.push('Content-Type', reply.contentType ?? JSON_TYPE);
    res.writeHead(reply.status ?? 200, headers as unknown as string[]);
    // On failure pipeline destroys res: the client sees a cut body, never a whole-looking one.
    pipeline(reply.stream, res, () => undefined);
    return;
  }
  let body: Buffer | string = '';
  if (reply.body !== undefined) {
    body = reply.body;
    headers.push('Content-Type', reply.contentType ?? JSON_TYPE);
  } else if (reply.json !== undefined) {
    body = encodeJson(reply.json, pretty);
    headers.push('Content-Type', JSON_TYPE);
  }
  headers.push('Content-Length', typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  res.writeHead(reply.status ?? 200, headers as unknown as string[]);
  res.end(body);
}

/** The one place an error becomes a response: PraetorErrors carry their status; anything else is a 500. */
export function respondError(res: ServerResponse, err: unknown, log: Logger, what: string): void {
  if (res.destroyed || res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  let status = 500;
  let message: string;
  const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
  if (err instanceof PraetorError) {
    status = err.statusCode;
    message = err.message;
    if (err instanceof MethodNotAllowedError) headers.Allow = err.allow.join(',');
    log.debug('request failed', { request: what, status, error: message });
  } else {
    message = `Internal error: ${(err as Error)?.message ?? String(err)}`;
    log.error('unexpected error handling a request', { request: what, error: (err as Error)?.stack ?? String(err) });
  }
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(message) });
  res.end(message);
}
