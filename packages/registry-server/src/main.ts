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
  operator: 'Provides cluster-level tools for operators',
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

/** The most words a command's name has. */
const MAX_NAME_WORDS = Math.max(...COMMANDS.map((c) => c.name.split(' ').length));

const PROCESS_IO: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };

/** The `praetor` command: dispatches to a subcommand and returns the exit code. */
export async function main(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const [first] = argv;
  // Loaded only when needed: the agent's modules take most of the CLI's start-up time.
  if (first === 'agent') return (await import('./cli/agent.js')).runAgent(argv.slice(1));
  if (first === '-version' || first === '--version' || first === '-v') return main(['version', ...argv.slice(1)], io);
  if (first === undefined || /^--?h(elp)?$/.test(first)) {
    (first === undefined ? io.stderr : io.stdout).write(helpText('', TOP));
    return first === undefined ? 1 : 0;
  }
  // The command whose name is the longest run of leading words (`kv get`, `operator raft list-peers`).
  for (let n = Math.min(MAX_NAME_WORDS, argv.length); n >= 1; n--) {
    const named = COMMANDS.find((c) => c.name === argv.slice(0, n).join(' '));
    if (named) return runCommand(named, argv.slice(n), io);
  }
  // Else a group (`kv`, `operator raft`): the longest run of words some names start with.
  let depth = 0;
  while (depth < argv.length && COMMANDS.some((c) => c.name.startsWith(`${argv.slice(0, depth + 1).join(' ')} `))) depth++;
  if (depth > 0) {
    const group = argv.slice(0, depth).join(' ');
    const next = argv[depth];
    const help = next === undefined || /^--?h(elp)?$/.test(next);
    if (!help) io.stderr.write(`praetor ${group}: unknown subcommand ${JSON.stringify(next)}\n\n`);
    (help && next !== undefined ? io.stdout : io.stderr).write(helpText(group, COMMANDS.filter((c) => c.name.startsWith(`${group} `))));
    return help && next !== undefined ? 0 : 1;
  }
  io.stderr.write(`praetor: unknown command ${JSON.stringify(first)}\n\n${helpText('', TOP)}`);
  return 1;
}
