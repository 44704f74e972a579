import type { CliCommand, CliIo } from './cli/command.js';
import type { FlagSpecs } from './cli/command-flags.js';
import { COMMANDS } from './cli/commands.js';
import { columns } from './cli/columns.js';
import { runCommand } from './cli/run-command.js';

function helpText(prefix: string, commands: readonly { name: string; synopsis: string }[]): string {
  const rows = commands.map((c) => ['    ' + c.name.slice(prefix ? prefix.length + 1 : 0), c.synopsis]);
  const usage = prefix ? `Usage: praetor ${prefix} <subcommand> [options] [args]` : 'Usage: praetor [--version] [--help] <command> [<args>]';
  return `${usage}\n\nAvailable ${prefix ? 'subcommands' : 'commands'} are:\n${columns(rows)}\nRun 'praetor ${prefix ? `${prefix} ` : ''}<command> -h' for a command's options.\n`;
}

/** Synopses of the groups of subcommands (declared before TOP, which uses them). */
const GROUP_SYNOPSIS: Record<string, string> = {
  kv: 'Reads and writes the key/value store',
  catalog: 'Lists datacenters, nodes and services',
  services: 'Registers and deregisters services with the agent',
  snapshot: 'Saves, restores and inspects snapshots of the state',
};

const TOP: readonly { name: string; synopsis: string }[] = [
  { name: 'agent', synopsis: 'Runs a Praetor agent (a Consul-compatible registry server)' },
  ...groups(COMMANDS),
].sort((a, b) => (a.name < b.name ? -1 : 1));

/** Top-level entries: one per command, and one per group of subcommands (`kv`). */
function groups(commands: readonly CliCommand<FlagSpecs>[]): { name: string; synopsis: string }[] {
  const out = new Map<string, string>();
  for (const c of commands) {
    const [head, sub] = c.name.split(' ');
    if (!sub) out.set(head!, c.synopsis);
    else if (!out.has(head!)) out.set(head!, GROUP_SYNOPSIS[head!] ?? `${head} subcommands`);
  }
  return [...out].map(([name, synopsis]) => ({ name, synopsis }));
}

const PROCESS_IO: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };

/** The `praetor` command: dispatches to a subcommand and returns the exit code. */
export async function main(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const [first, second] = argv;
  // Loaded only when needed: the agent's modules take most of the CLI's start-up time.
  if (first === 'agent') return (await import('./cli/agent.js')).runAgent(argv.slice(1));
  if (first === '-version' || first === '--version' || first === '-v') return main(['version', ...argv.slice(1)], io);
  if (first === undefined || /^--?h(elp)?$/.test(first)) {
    (first === undefined ? io.stderr : io.stdout).write(helpText('', TOP));
    return first === undefined ? 1 : 0;
  }
  const two = COMMANDS.find((c) => c.name === `${first} ${second}`);
  if (two) return runCommand(two, argv.slice(2), io);
  const one = COMMANDS.find((c) => c.name === first);
  if (one) return runCommand(one, argv.slice(1), io);
  const subs = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
  if (subs.length > 0) {
    const help = second === undefined || /^--?h(elp)?$/.test(second);
    if (!help) io.stderr.write(`praetor ${first}: unknown subcommand ${JSON.stringify(second)}\n\n`);
    (help && second !== undefined ? io.stdout : io.stderr).write(helpText(first, subs));
    return help && second !== undefined ? 0 : 1;
  }
  io.stderr.write(`praetor: unknown command ${JSON.stringify(first)}\n\n${helpText('', TOP)}`);
  return 1;
}
