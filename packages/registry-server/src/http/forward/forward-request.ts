import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';

/** A request to pass on to another agent: its body already read, so it can be sent again elsewhere. */
export interface Forwarded {
  method: string;
  /** Path and query, as received (`/v1/kv/a?index=7`). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer | null;
}

/**
 * No answer came from the agent asked. `mayHaveArrived` is false when the request certainly
 * did not reach it (the connection was refused or never opened, or a kept-alive connection was
 * found closed before anything was sent back): then even a write may be sent to another agent.
 */
export class UnreachableError extends Error {
  constructor(
    readonly target: string,
    readonly mayHaveArrived: boolean,
    cause: Error,
  ) {
    super(`${target} did not answer: ${cause.message}`);
  }
}

/** Headers of one hop, not passed on (RFC 9110 §7.6.1), and those Node sets for the new request. */
const NOT_PASSED_ON = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'content-length']);

function passedOn(headers: IncomingHttpHeaders, keepLength = false): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && (!NOT_PASSED_ON.has(k) || (keepLength && k === 'content-length'))) out[k] = v;
  return out;
}

/**
 * Sends `request` to the agent at `base` (`http://host:port`) and copies its answer to `res` as
 * it comes: status, headers (the server's X-Consul-Index, X-Consul-KnownLeader, ...) and body.
 * Rejects with UnreachableError when no answer arrived (then `res` is untouched and the caller
 * may ask another agent); an answer cut off halfway destroys `res`. When `res` closes first
 * (the client gave up, e.g. on a blocking query), the forwarded request is aborted, so the
 * agent asked stops waiting too. Aborting `signal` before the answer came rejects with
 * UnreachableError (mayHaveArrived: true).
 */
export function forwardRequest(base: string, request: Forwarded, res: ServerResponse, agent: http.Agent, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let connected = false;
    let answered = false;
    const headers = passedOn(request.headers);
    if (request.body) headers['content-length'] = request.body.length;
    const out = http.request(new URL(request.url, base), { method: request.method, headers, agent, signal }, (answer) => {
      answered = true;
      // The body is passed on unchanged, so its length is the answer's own.
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, passedOn(answer.headers, true));
      answer.pipe(res);
      answer.once('end', () => resolve());
      answer.once('error', () => res.destroy());
      answer.once('aborted', () => res.destroy());
    });
    out.once('socket', (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    const gaveUp = () => {
      if (!res.writableFinished) out.destroy();
    };
    res.once('close', gaveUp);
    out.once('error', (err: NodeJS.ErrnoException) => {
      res.off('close', gaveUp);
      if (answered) {
        res.destroy();
        resolve();
        return;
      }
      if (res.destroyed) return resolve(); // the client is gone: nothing to answer
      const stale = out.reusedSocket && err.code === 'ECONNRESET';
      reject(new UnreachableError(base, connected && !stale, err));
    });
    out.end(request.body ?? undefined);
  });
}
