import http from 'node:http';
import net from 'node:net';

/** One generated request: `path` is sent as is (latin1 bytes, so `\xff` is a raw invalid UTF-8 byte). */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Sent byte for byte on its own connection instead (bad framing, raw NUL, garbage request lines). */
  raw?: Buffer;
}

export interface FuzzResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A keep-alive HTTP client to one agent, with at most `sockets` connections. */
export class FuzzClient {
  private readonly agent: http.Agent;

  constructor(
    readonly host: string,
    readonly port: number,
    sockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  /**
   * Sends `r`. A keep-alive connection the server closed as idle just as it was reused fails
   * with ECONNRESET before the server saw anything; that one case is retried once on a new
   * connection (Node's documented pattern), anything else is the caller's.
   */
  async send(r: FuzzRequest, timeoutMs = 30_000): Promise<FuzzResponse> {
    if (r.raw) return sendRaw(this.host, this.port, r.raw, timeoutMs);
    try {
      return await this.once(r, timeoutMs);
    } catch (err) {
      if (!(err as { reused?: boolean }).reused || (err as NodeJS.ErrnoException).code !== 'ECONNRESET') throw err;
      this.retries++;
      return this.once(r, timeoutMs);
    }
  }

  /** How many sends were retried after a reset on a reused connection. */
  retries = 0;

  private once(r: FuzzRequest, timeoutMs: number): Promise<FuzzResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...r.headers };
      if (r.body && !Object.keys(headers).some((h) => h.toLowerCase() === 'transfer-encoding')) headers['Content-Length'] = r.body.length;
      // A 301 for an unclean path (`//`) echoes the path in Location, as Consul's does: with a path
      // near the server's 16 KiB header limit, the answer's headers pass Node's 16 KiB default.
      const req = http.request({ host: this.host, port: this.port, method: r.method, path: r.path, headers, agent: this.agent, maxHeaderSize: 64 * 1024 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.once('error', reject);
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs}ms`)));
      req.once('error', (err: Error & { reused?: boolean }) => {
        err.reused = req.reusedSocket;
        reject(err);
      });
      req.end(r.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Writes `bytes` on a fresh connection and reads the answer until the server closes it (the
 * request carries `Connection: close` or is malformed, after which Node's parser closes).
 * Resolves status 0 when the server closed without an answer.
 */
function sendRaw(host: string, port: number, bytes: Buffer, timeoutMs: number): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    const chunks: Buffer[] = [];
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`no answer within ${timeoutMs}ms`)));
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.once('error', (err: NodeJS.ErrnoException) => {
      // A server that answers and closes while we still write resets the connection: that is an answer.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return;
      reject(err);
    });
    sock.once('close', () => {
      let all = Buffer.concat(chunks);
      if (all.length === 0) return resolve({ status: 0, headers: {}, body: all });
      // Skip interim answers (100 Continue) to the final one.
      while (/^HTTP\/1\.[01] 1\d\d /.test(all.subarray(0, 13).toString('latin1')) && all.indexOf('\r\n\r\n') >= 0 && all.indexOf('\r\n\r\n') + 4 < all.length) {
        all = all.subarray(all.indexOf('\r\n\r\n') + 4);
      }
      const head = all.indexOf('\r\n\r\n');
      const lines = all.subarray(0, head < 0 ? all.length : head).toString('latin1').split('\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
      if (!m) return reject(new Error(`not an HTTP answer: ${JSON.stringify(all.subarray(0, 200).toString('latin1'))}`));
      const headers: http.IncomingHttpHeaders = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(m[1]), headers, body: head < 0 ? Buffer.alloc(0) : all.subarray(head + 4) });
    });
    sock.write(bytes);
    sock.end();
  });
}

/** A request as a replayable one-liner for failure reports (bodies cut to 300 bytes). */
export function describe(r: FuzzRequest): string {
  if (r.raw) return `RAW ${JSON.stringify(r.raw.subarray(0, 300).toString('latin1'))}${r.raw.length > 300 ? ` (+${r.raw.length - 300} bytes)` : ''}`;
  const body = r.body ? ` body(${r.body.length})=${JSON.stringify(r.body.subarray(0, 300).toString('latin1'))}` : '';
  const p = r.path.length > 300 ? `${r.path.slice(0, 300)}...(+${r.path.length - 300} chars)` : r.path;
  return `${r.method} ${JSON.stringify(p)} headers=${JSON.stringify(r.headers)}${body}`;
}
