import { VERSION } from './agent/agent.js';
import { runAgent } from './cli/agent.js';

const HELP = `Usage: praetor <command> [args]

Commands:
  agent      Runs a Praetor agent (a Consul-compatible registry server)
  version    Prints the version

Run 'praetor <command> -h' for a command's options.
`;

/** The `praetor` command: dispatches to a subcommand and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'agent':
      return runAgent(rest);
    case 'version':
    case '-version':
    case '--version':
      process.stdout.write(`Praetor v0.1.0 (Consul API ${VERSION})\n`);
      return 0;
    case undefined:
    case '-h':
    case '-help':
    case '--help':
      process.stdout.write(HELP);
      return cmd === undefined ? 1 : 0;
    default:
      process.stderr.write(`praetor: unknown command ${JSON.stringify(cmd)}\n\n${HELP}`);
      return 1;
  }
}
