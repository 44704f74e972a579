import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { ApiClient, ApiResponse, Query } from './api-client.js';
import { CliError } from './command.js';
import { fsErrorText } from './fs-error.js';

/** One entry as /v1/kv returns it (Value in base64, null when empty). */
export interface KvEntryJson {
  Key: string;
  /** A uint64: a bigint above 2^53 (see go-json.ts). */
  Flags: number | bigint;
  Value: string | null;
  LockIndex: number;
  Session?: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** The request path of a key: each segment escaped, the slashes kept. */
export function kvPath(key: string): string {
  return `/v1/kv/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * A read of /v1/kv: 404 comes back as null (a missing key, an empty prefix); any other failure
 * (no agent, an error status) throws `Error querying Praetor agent: ...`.
 */
export async function kvRead(client: ApiClient, key: string, query: Query): Promise<ApiResponse | null> {
  const res = await withPrefix('Error querying Praetor agent: ', () => client.request('GET', kvPath(key), { query }));
  if (res.status === 404) return null;
  if (res.status !== 200) throw new CliError(`Error querying Praetor agent: ${unexpected(res)}`);
  return res;
}

/** Runs `f`, prefixing the message of a CliError it throws (a connection failure). */
export async function withPrefix<T>(prefix: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof CliError) throw new CliError(prefix + err.message, err.exitCode);
    throw err;
  }
}

/** Consul's client's text for an answer it did not expect. */
export function unexpected(res: ApiResponse): string {
  return `Unexpected response code: ${res.status} (${res.body.toString('utf8').trim()})`;
}

/** The bytes a value stands for, as Consul's CLI reads it: `@file`, `-` for stdin, else the text itself. */
export async function readValueArg(arg: string, stdin: Readable): Promise<Buffer> {
  if (arg.startsWith('@')) {
    try {
      return fs.readFileSync(arg.slice(1));
    } catch (err) {
      throw new CliError(`Error! Failed to read file: ${fsErrorText(err, 'open', arg.slice(1))}`);
    }
  }
  if (arg === '-') {
    const chunks: Buffer[] = [];
    try {
      for await (const c of stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
    } catch (err) {
      throw new CliError(`Error! Failed to read stdin: ${(err as Error).message}`);
    }
    return Buffer.concat(chunks);
  }
  return Buffer.from(arg, 'utf8');
}

const BASE64 = /^[A-Za-z0-9+/]*$/;

/**
 * Strict standard base64 (padding required), as Go's StdEncoding decodes it; Node's own decoder
 * skips bad characters silently. Throws with the offset of the first bad byte.
 */
export function decodeBase64(text: string): Buffer {
  const body = text.replace(/\r|\n/g, '');
  const pad = body.length - body.replace(/=+$/, '').length;
  const core = body.slice(0, body.length - pad);
  if (!BASE64.test(core)) {
    const at = [...core].findIndex((ch) => !/[A-Za-z0-9+/]/.test(ch));
    // Padding inside the text ends its quantum: Go reports the byte after that quantum.
    throw new Error(`illegal base64 data at input byte ${core[at] === '=' ? Math.ceil((at + 1) / 4) * 4 : at}`);
  }
  if (body.length % 4 !== 0 || pad > 2 || (pad > 0 && core.length % 4 === 1)) {
    throw new Error(`illegal base64 data at input byte ${Math.max(0, body.length - (body.length % 4 || 4))}`);
  }
  return Buffer.from(body, 'base64');
}
