import diagnostics from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';
import { sleep } from './backoff.js';

/**
 * The HTTP requests this process's node:http servers are answering, seen through Node's
 * `http.server.request.start` diagnostics channel (no wiring in the app): a request counts from
 * its start until its response closes (finished, or the connection went away). Counting starts
 * with the first call to `trackInFlightHttp()`.
 */
const open = new Set<ServerResponse>();
let tracking = false;

function onStart(message: unknown): void {
  const response = (message as { response?: ServerResponse }).response;
  if (!response || response.writableFinished) return;
  open.add(response);
  response.once('close', () => open.delete(response));
}

/** Starts counting (idempotent). */
export function trackInFlightHttp(): void {
  if (tracking) return;
  tracking = true;
  diagnostics.subscribe('http.server.request.start', onStart);
}

/** How many requests are being answered right now. */
export function inFlightHttp(): number {
  return open.size;
}

/** Resolves once no request is in flight, or after `timeoutMs`; says which. Polls every 20 ms (bounded). */
export async function httpIdle(timeoutMs: number): Promise<'idle' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  while (open.size > 0) {
    if (Date.now() >= deadline) return 'timeout';
    await sleep(Math.min(20, deadline - Date.now()));
  }
  return 'idle';
}
