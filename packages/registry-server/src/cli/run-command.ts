import { clientFromFlags, CLIENT_FLAGS } from './client-flags.js';
import { CliError, type CliCommand, type CliIo } from './command.js';
import { flagsHelp, parseCommandFlags, UsageError, type FlagSpecs } from './command-flags.js';

/** The `praetor NAME -h` text: usage, description, then the HTTP and the command's options. */
export function commandHelp(cmd: CliCommand<FlagSpecs>): string {
  let text = `Usage: praetor ${cmd.name} ${cmd.usage}\n\n${indent(cmd.description)}\n`;
  if (cmd.http) text += `\nHTTP API Options\n\n${flagsHelp(CLIENT_FLAGS)}`;
  if (Object.keys(cmd.flags).length > 0) text += `\nCommand Options\n\n${flagsHelp(cmd.flags)}`;
  return text;
}

function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
}

/**
 * Runs one command: parses its flags, prints its help for -h, and turns a usage mistake or a
 * CliError into a message on stderr and exit code 1.
 */
export async function runCommand(cmd: CliCommand<FlagSpecs>, argv: readonly string[], io: CliIo): Promise<number> {
  if (asksForHelp(argv)) {
    io.stdout.write(commandHelp(cmd));
    return 0;
  }
  const specs: FlagSpecs = cmd.http ? { ...CLIENT_FLAGS, ...cmd.flags } : cmd.flags;
  let parsed;
  try {
    parsed = parseCommandFlags(argv, specs);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`${err.message}\nRun 'praetor ${cmd.name} -h' for usage.\n`);
    return 1;
  }
  const { flags, args } = parsed;
  try {
    return await cmd.run({ flags, args, io, client: () => clientFromFlags(flags, io.env) });
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${err.message}\nRun 'praetor ${cmd.name} -h' for usage.\n`);
      return 1;
    }
    if (err instanceof CliError) {
      io.stderr.write(`${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

/** -h, -help or --help among the flags (before the first positional argument or `--`). */
function asksForHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--' || !a.startsWith('-')) return false;
    if (/^--?h(elp)?$/.test(a)) return true;
  }
  return false;
}
