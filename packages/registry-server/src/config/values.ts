import { isIP } from 'node:net';
import { parseDuration } from '../internal/duration.js';
import type { AgentConfig } from './agent-config.js';

/**
 * Parsers for the values a flag or a config file key may hold. Each one throws a plain Error
 * that says only *why* the value is bad; the caller (flags.ts, config-file.ts) wraps it into a
 * ConfigError that says *where* (which flag, which file and key).
 */
export type LogLevel = AgentConfig['logLevel'];

export const HCL_UNSUPPORTED = 'HCL is not supported yet; use JSON (the same keys, in a .json file)';

export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** Go's strconv.ParseBool, which Consul's boolean flags use. */
export function parseBool(text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new Error('expected true or false');
}

/** A decimal integer, as Go's strconv.Atoi reads it. */
export function parseInteger(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new Error('expected an integer');
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error('integer out of range');
  return n;
}

/** A TCP/UDP port; 0 asks the OS for a free (ephemeral) port, which tests use. */
export function checkPort(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`port ${n} is out of range: ports must be 0-65535 (0 picks a free port)`);
  return n;
}

export function checkUint(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got ${n}`);
  return n;
}

export function parseLogLevel(text: string): LogLevel {
  const level = text.toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new Error(`unknown log level ${JSON.stringify(text)}: use one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

/** A duration such as "300s"; milliseconds, > 0. */
export function parsePositiveDuration(text: string): number {
  const ms = parseDuration(text);
  if (!(ms > 0)) throw new Error(`${JSON.stringify(text)} must be a positive duration such as "300s"`);
  return ms;
}

/** check_update_interval: any duration; Consul takes zero or less as "no wait". */
export function parseCheckUpdateInterval(text: string): number {
  return Math.max(0, parseDuration(text));
}

/** check_output_max_size, with Consul's message. */
export function checkOutputMaxSize(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error('check_output_max_size must be positive, to discard check output use the discard_check_output flag');
  return n;
}

/** A blocking-query bound. */
export const parseQueryTime = parsePositiveDuration;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Node IDs are UUIDs, kept lower-case as Consul does. */
export function parseNodeId(text: string): string {
  const id = text.toLowerCase();
  if (!UUID.test(id)) throw new Error(`${JSON.stringify(text)} is not a valid UUID (expected 8-4-4-4-12 hex digits)`);
  return id;
}

const DATACENTER = /^[a-z0-9_-]+$/;

/** Datacenter names are lower-cased, then must be [a-z0-9_-] (Consul's rule). */
export function parseDatacenter(text: string): string {
  const dc = text.toLowerCase();
  if (dc === '') throw new Error('datacenter cannot be empty');
  if (!DATACENTER.test(dc)) throw new Error(`datacenter cannot be ${JSON.stringify(text)}. Please use only [a-z0-9-_].`);
  return dc;
}

/** One IP address (no go-sockaddr templates, no host names). */
export function parseIp(text: string): string {
  const addr = text.trim();
  if (addr.includes('{{')) throw new Error(`go-sockaddr templates are not supported: ${JSON.stringify(text)}; give an IP address`);
  if (addr.startsWith('unix://')) throw new Error(`unix sockets are not supported yet: ${JSON.stringify(text)}; give an IP address`);
  if (isIP(addr) === 0) throw new Error(`${JSON.stringify(text)} is not an IP address`);
  return addr;
}

/** A space-separated list of IP addresses, as -client and client_addr take. */
export function parseIpList(text: string): string[] {
  if (text.includes('{{')) return [parseIp(text)];
  const addrs = text.split(/\s+/).filter((a) => a !== '');
  if (addrs.length === 0) throw new Error('expected at least one IP address');
  return addrs.map(parseIp);
}

/** `key:value` as -node-meta takes it; a pair without ':' means an empty value (as Consul). */
export function parseMetaPair(text: string): [string, string] {
  const i = text.indexOf(':');
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

const META_KEY = /^[A-Za-z0-9_-]+$/;

/** Consul's node metadata rules (structs.ValidateMetadata); returns the problem or undefined. */
export function nodeMetaProblem(meta: Record<string, string>): string | undefined {
  const keys = Object.keys(meta);
  if (keys.length > 64) return `Node metadata cannot contain more than 64 key/value pairs (has ${keys.length})`;
  for (const k of keys) {
    if (k === '') return 'Key cannot be blank';
    if (k.length > 128) return `Key is too long (limit: 128 characters): ${JSON.stringify(k)}`;
    if (!META_KEY.test(k)) return `Key contains invalid characters: ${JSON.stringify(k)}`;
    if (k.startsWith('consul-')) return `Key prefix 'consul-' is reserved for internal use: ${JSON.stringify(k)}`;
    if (meta[k].length > 512) return `Value is too long (limit: 512 characters): key ${JSON.stringify(k)}`;
  }
  return undefined;
}

/** Node names that DNS cannot serve still work over HTTP; Consul warns about them (same wording). */
export function nodeNameDnsWarning(name: string): string | undefined {
  if (!/^[A-Za-z0-9-]+$/.test(name)) {
    return `Node name ${JSON.stringify(name)} will not be discoverable via DNS due to invalid characters. Valid characters include all alpha-numerics and dashes.`;
  }
  if (name.length > 63) {
    return `Node name ${JSON.stringify(name)} will not be discoverable via DNS due to it being too long. Valid lengths are between 1 and 63 bytes.`;
  }
  return undefined;
}
