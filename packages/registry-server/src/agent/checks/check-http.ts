import * as http from 'node:http';
import * as https from 'node:https';
import type { Logger } from 'winston';
import { formatDuration } from '../../internal/duration.js';
import type { CheckDefinition, CheckStatus } from '../../structs/check.js';
import type { CheckRunner, Report } from './check-runner.js';
import { IntervalRunner, intervalSettings, outputMaxSize, timedOut, utf8Prefix, type Probe } from './interval-runner.js';

/** Consul's User-Agent for HTTP checks, kept so services that recognise it still do. */
export const USER_AGENT = 'Consul Health Check';
/** Go's http.Client gives up after 10 redirects. */
const MAX_REDIRECTS = 10;
/** Headers Go drops when a redirect leaves the original host. */
const SENSITIVE = ['authorization', 'www-authenticate', 'cookie', 'cookie2', 'host'];

/**
 * An HTTP check probe, as Consul's CheckHTTP: sends Method (default GET) to the HTTP URL with
 * Header and Body on a fresh connection (no keep-alive), following up to 10 redirects (301/302/303
 * turn into GET without a body, 307/308 keep both). 2xx is passing, 429 warning, any other status
 * critical; the output is "HTTP <method> <url>: <status line> Output: <body>", the body read up
 * to OutputMaxSize bytes. A connection error or timeout is critical with the error. https URLs
 * verify the server's certificate unless TLSSkipVerify.
 */
export function httpProbe(def: CheckDefinition): Probe {
  const target = def.HTTP ?? '';
  const method = (def.Method || 'GET').toUpperCase();
  const limit = outputMaxSize(def);
  const prefix = `HTTP ${method} ${target}`;
  return async (signal, timeoutMs) => {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return { status: 'critical', output: `${prefix}: invalid URL` };
    }
    let headers = requestHeaders(def.Header);
    let current = { url, method, body: def.Body };
    try {
      for (let hop = 0; ; hop++) {
        const res = await send(current.url, current.method, headers, current.body, def.TLSSkipVerify === true, signal);
        const location = res.headers.location;
        if (location && [301, 302, 303, 307, 308].includes(res.statusCode ?? 0)) {
          res.resume();
          if (hop === MAX_REDIRECTS) return { status: 'critical', output: `${prefix}: stopped after ${MAX_REDIRECTS} redirects` };
          const next = new URL(location, current.url);
          if (next.host !== current.url.host) headers = withoutSensitive(headers);
          const keep = res.statusCode === 307 || res.statusCode === 308;
          current = {
            url: next,
            method: keep || current.method === 'HEAD' ? current.method : 'GET',
            body: keep ? current.body : undefined,
          };
          continue;
        }
        const body = await readUpTo(res, limit);
        const code = res.statusCode ?? 0;
        const status: CheckStatus = code >= 200 && code <= 299 ? 'passing' : code === 429 ? 'warning' : 'critical';
        return { status, output: `${prefix}: ${code} ${res.statusMessage ?? ''} Output: ${body}` };
      }
    } catch (err) {
      const why = timedOut(signal) ? `timed out after ${formatDuration(timeoutMs)}` : (err as Error).message;
      return { status: 'critical', output: `${prefix}: ${why}` };
    }
  };
}

/** An interval runner around httpProbe. */
export function createHttpRunner(def: CheckDefinition, report: Report, logger: Logger): CheckRunner {
  const log = logger.child({ component: 'check-http', target: def.HTTP });
  return new IntervalRunner(httpProbe(def), intervalSettings(def), report, log);
}

function requestHeaders(header: Record<string, string[]> | undefined): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, values] of Object.entries(header ?? {})) {
    if (values.length > 0) out[name.toLowerCase()] = name.toLowerCase() === 'host' ? values[0] : values;
  }
  out['user-agent'] ??= USER_AGENT;
  out.accept ??= 'text/plain, text/*, */*';
  return out;
}

function withoutSensitive(headers: http.OutgoingHttpHeaders): http.OutgoingHttpHeaders {
  const out = { ...headers };
  for (const name of SENSITIVE) delete out[name];
  return out;
}

function send(
  url: URL,
  method: string,
  headers: http.OutgoingHttpHeaders,
  body: string | undefined,
  skipVerify: boolean,
  signal: AbortSignal,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = { method, headers, signal, agent: false };
    if (url.protocol === 'https:') options.rejectUnauthorized = !skipVerify;
    else if (url.protocol !== 'http:') throw new Error(`unsupported protocol ${JSON.stringify(url.protocol)}`);
    const req = (url.protocol === 'https:' ? https : http).request(url, options, resolve);
    req.on('error', reject);
    req.end(body || undefined);
  });
}

/** Reads at most `limit` bytes of the body, then drops the connection; a read error keeps what came. */
function readUpTo(res: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      res.removeAllListeners('data');
      resolve(utf8Prefix(Buffer.concat(chunks), limit));
    };
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        done();
        res.destroy();
      }
    });
    res.on('end', done);
    res.on('error', done);
    res.on('close', done);
  });
}
