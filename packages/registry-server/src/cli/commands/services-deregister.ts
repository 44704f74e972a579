import { attempt, command } from '../command.js';
import { UsageError } from '../command-flags.js';
import { servicesFromFiles } from '../service-files.js';

export const servicesDeregisterCommand = command({
  name: 'services deregister',
  synopsis: 'Deregisters services from the local agent',
  usage: '[options] [FILE...]',
  description: `
Deregisters services that were registered with this agent: the one named by -id, or those
defined in JSON service definition files (by their ID, or their name when they have none).

    $ praetor services deregister web.json
    $ praetor services deregister -id=web`,
  flags: {
    id: { type: 'string', arg: 'id', usage: 'ID of the service to deregister; not with files.' },
  },
  http: true,
  async run({ flags, args, io, client }) {
    if (args.length === 0 && !flags.id) throw new UsageError('Service deregistration requires at least one argument or -id.');
    if (args.length > 0 && flags.id) throw new UsageError('Service deregistration requires arguments or -id, not both.');
    const ids = args.length > 0 ? servicesFromFiles(args).map((d) => String(d.value.ID || d.value.Name || '')).filter(Boolean) : [flags.id!];
    const api = client();
    for (const id of ids) {
      await attempt(`Error deregistering service ${JSON.stringify(id)}`, api.ok('PUT', `/v1/agent/service/deregister/${encodeURIComponent(id)}`));
      io.stdout.write(`Deregistered service: ${id}\n`);
    }
    return 0;
  },
});
