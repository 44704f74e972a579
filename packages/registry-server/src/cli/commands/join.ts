import { command, CliError } from '../command.js';
import { UsageError } from '../command-flags.js';

export const joinCommand = command({
  name: 'join',
  synopsis: 'Tells a Praetor agent to join another agent',
  usage: '[options] ADDRESS ...',
  description: `
Tells the agent (-http-addr) to join the agents at the given addresses. Praetor has no gossip
port: each ADDRESS is another Praetor agent's HTTP address, host:port (port 8500 when left
out). Both agents then list each other in \`praetor members\` and probe each other over HTTP.`,
  flags: {
    wan: { type: 'bool', usage: "Joins servers of another datacenter (their HTTP addresses) to this server's WAN pool." },
  },
  http: true,
  async run({ flags, args, io, client }) {
    if (args.length === 0) throw new UsageError('At least one address to join must be specified.');
    const api = client();
    let joins = 0;
    for (const addr of args) {
      try {
        await api.ok('PUT', `/v1/agent/join/${encodeURIComponent(addr.replace(/^http:\/\//, ''))}${flags.wan ? '?wan=1' : ''}`);
        joins++;
      } catch (err) {
        if (!(err instanceof CliError)) throw err;
        io.stderr.write(`Error joining address '${addr}': ${err.message}\n`);
      }
    }
    if (joins === 0) throw new CliError('Failed to join any nodes.');
    io.stdout.write(`Successfully joined cluster by contacting ${joins} nodes.\n`);
    return 0;
  },
});
