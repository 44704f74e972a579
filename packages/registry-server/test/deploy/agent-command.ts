import type { AgentConfig } from '../../src/config/agent-config.js';
import { loadAgentConfig } from '../../src/config/load-config.js';
import type { CommandLine } from './command-lines.js';

/**
 * Reads a container's `praetor` arguments the way the agent will: they must be `agent` and
 * flags that the agent's own configuration loader accepts (flags.ts, then the rules across
 * flags in load-config.ts). A Consul flag that Praetor only ignores counts as unknown here.
 */
export function agentConfig(line: CommandLine): AgentConfig {
  const [sub, ...flags] = line.argv;
  if (sub !== 'agent') throw new Error(`${line.where}: expected \`praetor agent ...\`, got \`praetor ${line.argv.join(' ')}\``);
  try {
    const { config, warnings } = loadAgentConfig(flags);
    const ignored = warnings.find((w) => w.startsWith('ignoring Consul agent flags'));
    if (ignored) throw new Error(ignored);
    return config;
  } catch (err) {
    throw new Error(`${line.where}: ${(err as Error).message}`);
  }
}

/** The -retry-join values of a command line (-retry-join X and -retry-join=X). */
export function retryJoins(argv: readonly string[]): string[] {
  return flagValues(argv, 'retry-join');
}

/** Every value of a flag, in Go's spellings: -f v, -f=v, --f v, --f=v. */
export function flagValues(argv: readonly string[], name: string): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(a);
    if (m?.[1] !== name) return;
    const v = m[2] ?? argv[i + 1];
    if (v !== undefined) out.push(v);
  });
  return out;
}
