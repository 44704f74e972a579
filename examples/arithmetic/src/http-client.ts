import * as http from 'node:http';
import axios from 'axios';
import type { Endpoint, Factory } from '@praetor/sdk';
import type { ErrorBody } from './http-router.js';
import { encodeCalculatePath, type CalculateRequest, type CalculateResult } from './http-transport.js';

/** What a calculation answers: a result, or the service's refusal (division by zero, bad operand…). */
export type CalculateResponse = CalculateResult | ErrorBody;

export type CalculateEndpoint = Endpoint<CalculateRequest, CalculateResponse>;

function isResult(v: unknown): v is CalculateResult {
  return typeof v === 'object' && v !== null && typeof (v as CalculateResult).result === 'number';
}

function isErrorBody(v: unknown): v is ErrorBody {
  return typeof v === 'object' && v !== null && typeof (v as ErrorBody).code === 'string' && typeof (v as ErrorBody).error === 'string';
}

/**
 * A Factory of HTTP client endpoints, one per instance, each with its own keep-alive agent
 * (destroyed when the instance leaves). The service's own refusals (4xx with an error body) are
 * values, not failures: a circuit breaker must not count them and a retry must not repeat them.
 * A connection error, a 5xx, a body that is neither, or the caller's abort rejects.
 */
export function calculateClientFactory(): Factory<CalculateEndpoint> {
  return (instance) => {
    const agent = new http.Agent({ keepAlive: true });
    const client = axios.create({
      baseURL: `http://${instance.key}`,
      httpAgent: agent,
      proxy: false,
      responseType: 'json',
      validateStatus: (s) => s < 500,
    });
    const endpoint: CalculateEndpoint = async (req, signal) => {
      const res = await client.get<unknown>(encodeCalculatePath(req), { signal });
      if (res.status === 200 && isResult(res.data)) return { result: res.data.result };
      if (res.status >= 400 && isErrorBody(res.data)) return { error: res.data.error, code: res.data.code };
      throw new Error(`unexpected answer from ${instance.key}: ${res.status} ${JSON.stringify(res.data)}`);
    };
    return { endpoint, close: () => agent.destroy() };
  };
}
