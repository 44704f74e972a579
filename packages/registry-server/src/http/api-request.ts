import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestError, TooLargeError } from '../errors.js';

/** One API request as handlers see it: path already matched, query parsed, body read on demand. */
export class ApiRequest {
  /** The part of the path after the route's prefix, percent-decoded (a KV key, a service name). */
  param = '';
  private bodyPromise: Promise<Buffer> | null = null;
  private closedFlag = false;
  private closeListeners: Set<() => void> | null = null;

  constructor(
    readonly method: string,
    readonly path: string,
    readonly query: URLSearchParams,
    readonly raw: IncomingMessage,
    readonly res: ServerResponse,
  ) {}

  header(name: string): string | undefined {
    const v = this.raw.headers[name];
    return Array.isArray(v) ? v[0] : v;
  }

  /** True once the client went away; blocking queries stop waiting. */
  get closed(): boolean {
    return this.closedFlag || this.raw.socket.destroyed;
  }

  /** Calls `listener` when the client goes away; the 'close' listener is attached only on demand. */
  onClose(listener: () => void): () => void {
    if (this.closed) {
      listener();
      return () => undefined;
    }
    if (!this.closeListeners) {
      const listeners = new Set<() => void>();
      this.closeListeners = listeners;
      this.res.once('close', () => {
        this.closedFlag = true;
        for (const l of listeners) l();
        listeners.clear();
      });
    }
    const set = this.closeListeners;
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Reads the whole body, refusing more than `limit` bytes with a 413 whose message comes
   * from `tooLarge(size)`. The refusal comes as soon as the limit is known to be passed: at once
   * for a Content-Length over it, or when the bytes read pass it. The rest of a body that
   * passes the limit by at most DISCARD_BYTES (a Content-Length says so) is read and discarded
   * after the answer, so the client, still sending, reads the 413 instead of a reset; of any
   * other body nothing more is read, and the connection is closed after the answer.
   */
  body(limit: number, tooLarge: (size: number) => string): Promise<Buffer> {
    if (!this.bodyPromise) this.bodyPromise = readBody(this.raw, this.res, limit, tooLarge);
    return this.bodyPromise;
  }
}

/**
 * How far past its limit a body announced by Content-Length may go and still be read (and
 * discarded) after the 413, keeping the connection: a client a little over the limit gets the
 * answer rather than a reset, and a huge one costs at most this much more reading.
 */
const DISCARD_BYTES = 4 * 1024 * 1024;

export function readBody(req: IncomingMessage, res: ServerResponse, limit: number, tooLarge: (size: number) => string): Promise<Buffer> {
  const refuse = (size: number) => {
    // The client may still be sending: close once the 413 is out rather than drain the rest.
    res.shouldKeepAlive = false;
    return new TooLargeError(tooLarge(size));
  };
  const declared = Number(req.headers['content-length'] ?? NaN);
  // Nothing of the body is read here: once the 413 is out, Node's server discards the rest.
  if (declared > limit && declared - limit <= DISCARD_BYTES) return Promise.reject(new TooLargeError(tooLarge(declared)));
  if (declared > limit) return Promise.reject(refuse(declared));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= limit) {
        chunks.push(c);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      req.pause();
      chunks.length = 0;
      reject(refuse(size));
    };
    const onEnd = () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', (e) => reject(new BadRequestError(`failed to read the request body: ${e.message}`)));
  });
}
