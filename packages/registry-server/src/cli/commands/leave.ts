import { attempt, command } from '../command.js';
import { UsageError } from '../command-flags.js';

export const leaveCommand = command({
  name: 'leave',
  synopsis: 'Gracefully leaves the cluster and shuts the agent down',
  usage: '[options]',
  description: `
Tells the agent (-http-addr) to leave its cluster gracefully: its members mark it "left"
(not "failed") and drop its node from their catalogs, then the agent shuts down.`,
  flags: {},
  http: true,
  async run({ args, io, client }) {
    if (args.length > 0) throw new UsageError(`Error found unexpected args: [${args.join(' ')}]`);
    await attempt('Error leaving', client().ok('PUT', '/v1/agent/leave'));
    io.stdout.write('Graceful leave complete\n');
    return 0;
  },
});
