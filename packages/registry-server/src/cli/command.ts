import type { Readable, Writable } from 'node:stream';
import type { ApiClient } from './api-client.js';
import { UsageError, type FlagSpecs, type ParsedFlags } from './command-flags.js';

/** Where a command reads and writes; tests and the real process differ only here. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
}

/** What a command's run() gets: its parsed flags, the positional arguments and its io. */
export interface CliRun<F extends FlagSpecs> {
  flags: ParsedFlags<F>;
  args: string[];
  io: CliIo;
  /** The API client the HTTP options describe (commands with `http: true`). */
  client(): ApiClient;
}

/**
 * One `praetor` subcommand (`members`, `kv get`, ...). `http: true` adds the HTTP API options
 * (-http-addr, -token, -datacenter, ...). run() returns the exit code; an error it throws is
 * printed as `Error! message` (see run-command.ts) and exits 1.
 */
export interface CliCommand<F extends FlagSpecs = FlagSpecs> {
  name: string;
  synopsis: string;
  /** The usage line after `praetor NAME`, e.g. `[options] KEY_OR_PREFIX`. */
  usage: string;
  /** A paragraph or two on what the command does. */
  description: string;
  flags: F;
  http?: boolean;
  run(ctx: CliRun<F>): Promise<number>;
}

/** A failure to report to the user (printed, exit code 1), as opposed to a bug. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Defines a command with its flag types inferred. */
export function command<F extends FlagSpecs>(c: CliCommand<F>): CliCommand<F> {
  return c;
}

/**
 * Awaits `p`; a CliError from it (connection refused, an unexpected status) is reported as
 * `what: message`, the way Consul's commands say what failed ("Error listing nodes: ...").
 */
export async function attempt<T>(what: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof CliError) throw new CliError(`${what}: ${err.message}`, err.exitCode);
    throw err;
  }
}

/** A command that takes no arguments refuses some, in the words of Consul's catalog commands. */
export function expectNoArgs(args: readonly string[]): void {
  if (args.length > 0) throw new UsageError(`Too many arguments (expected 0, got ${args.length})`);
}
