import { attempt, command, CliError, expectNoArgs } from '../command.js';

/** `section:` then `\tkey = value` lines, sections and keys sorted, as `consul info` prints Stats. */
export function formatStats(stats: Record<string, Record<string, unknown>>): string {
  let out = '';
  for (const section of Object.keys(stats).sort()) {
    out += `${section}:\n`;
    const values = stats[section]!;
    for (const key of Object.keys(values).sort()) out += `\t${key} = ${String(values[key])}\n`;
  }
  return out;
}

export const infoCommand = command({
  name: 'info',
  synopsis: 'Provides debugging information for operators',
  usage: '[options]',
  description: `
Prints the agent's statistics (the Stats of /v1/agent/self), section by section: agent, build,
consul, raft, runtime and serf_lan, with Praetor's values.`,
  flags: {},
  http: true,
  async run({ args, io, client }) {
    expectNoArgs(args);
    const self = await attempt('Error querying agent', client().getJson<{ Stats?: Record<string, Record<string, unknown>> }>('/v1/agent/self'));
    const stats = self.Stats;
    if (!stats || typeof stats !== 'object') throw new CliError("Agent response did not contain 'Stats' key");
    io.stdout.write(formatStats(stats));
    return 0;
  },
});
