import { attempt, command, CliError } from '../command.js';
import { UsageError } from '../command-flags.js';

export const forceLeaveCommand = command({
  name: 'force-leave',
  synopsis: 'Forces a member of the cluster to enter the "left" state',
  usage: '[options] NODE',
  description: `
Forces a failed member to the "left" state, which removes its node from the catalog. A member
that is still alive is left alone (it would rejoin at once). With -prune the member is also
forgotten, so it no longer shows in \`praetor members\`.`,
  flags: {
    prune: { type: 'bool', usage: 'Removes the member from the member list entirely.' },
    wan: { type: 'bool', usage: 'Not supported: Praetor has no WAN pool.' },
  },
  http: true,
  async run({ flags, args, client }) {
    if (args.length !== 1) throw new UsageError('A single node name must be specified to force leave.');
    if (flags.wan) throw new CliError('Praetor has no WAN pool (no gossip between datacenters): -wan is not supported');
    await attempt('Error force leaving', client().ok('PUT', `/v1/agent/force-leave/${encodeURIComponent(args[0]!)}`, { query: { prune: flags.prune } }));
    return 0;
  },
});
