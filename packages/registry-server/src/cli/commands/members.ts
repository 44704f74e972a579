import { attempt, command, CliError, expectNoArgs } from '../command.js';
import { membersTable, type AgentMember } from '../members-table.js';

export const membersCommand = command({
  name: 'members',
  synopsis: 'Lists the members of a Praetor cluster',
  usage: '[options]',
  description: `
Lists the members the agent knows: itself, the agents it joined and those that joined it,
with their status (alive, failed, left). The address shown is each agent's HTTP address,
which is what \`praetor join\` takes. Exits 2 when no member matches -status.`,
  flags: {
    detailed: { type: 'bool', usage: 'Shows every tag of each member instead of the summary columns.' },
    status: { type: 'string', arg: 'regexp', default: '.*', usage: 'Only lists the members whose status (alive, leaving, left, failed) matches this regular expression.' },
    wan: { type: 'bool', usage: 'Lists the WAN pool instead: the servers of every known datacenter, named NODE.DC (servers only).' },
  },
  http: true,
  async run({ flags, args, io, client }) {
    expectNoArgs(args);
    let status: RegExp;
    try {
      status = new RegExp(flags.status);
    } catch (err) {
      throw new CliError(`Failed to compile status regexp: ${(err as Error).message}`);
    }
    const members = await attempt('Error retrieving members', client().getJson<AgentMember[]>(flags.wan ? '/v1/agent/members?wan=1' : '/v1/agent/members'));
    const table = membersTable(members, { detailed: flags.detailed, status });
    if (table === undefined) return 2;
    io.stdout.write(table);
    return 0;
  },
});
