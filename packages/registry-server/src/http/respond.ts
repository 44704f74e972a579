import type { ServerResponse } from 'node:http';
import type { Logger } from 'winston';
import { MethodNotAllowedError, PraetorError } from '../errors.js';
import type { Reply } from './reply.js';

const JSON_TYPE = 'application/json';

/** Writes a handler's reply, with X-Consul-* headers on reads. */
export function respond(res: ServerResponse, reply: Reply, pretty: boolean): void {
  const headers: Record<string, string | number> = { 'X-Consul-Default-Acl-Policy': 'allow', ...reply.headers };
  if (reply.meta) {
    headers['X-Consul-Index'] = String(reply.meta.index);
    headers['X-Consul-Knownleader'] = 'true';
    headers['X-Consul-Lastcontact'] = '0';
    headers['X-Consul-Effective-Consistency'] = reply.meta.consistency;
  }
  let body: Buffer | string;
  if (reply.body !== undefined) {
    body = reply.body;
    headers['Content-Type'] = reply.contentType ?? JSON_TYPE;
  } else if (reply.json !== undefined) {
    body = pretty ? JSON.stringify(reply.json, null, 4) : JSON.stringify(reply.json);
    headers['Content-Type'] = JSON_TYPE;
  } else {
    body = '';
  }
  headers['Content-Length'] = Buffer.byteLength(body);
  res.writeHead(reply.status ?? 200, headers);
  res.end(body);
}

/** The one place an error becomes a response: PraetorErrors carry their status; anything else is a 500. */
export function respondError(res: ServerResponse, err: unknown, log: Logger, what: string): void {
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
