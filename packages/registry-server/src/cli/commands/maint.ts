import { attempt, command, CliError, expectNoArgs } from '../command.js';

interface Check {
  CheckID: string;
  ServiceID: string;
  Notes: string;
}

const NODE_MAINT = '_node_maintenance';
const SERVICE_MAINT = '_service_maintenance:';

export const maintCommand = command({
  name: 'maint',
  synopsis: 'Controls node or service maintenance mode',
  usage: '[options]',
  description: `
Puts the agent's node, or one of its services (-service), into maintenance mode, or takes it
out. Maintenance is a critical health check, so the node or service drops out of DNS and of
passing-only health queries until it is disabled; an optional -reason becomes the check's notes.
Maintenance survives a restart of the agent.

With neither -enable nor -disable, lists what is in maintenance (nothing when nothing is).`,
  flags: {
    enable: { type: 'bool', usage: 'Enables maintenance mode.' },
    disable: { type: 'bool', usage: 'Disables maintenance mode.' },
    reason: { type: 'string', arg: 'text', usage: 'Why maintenance is on (with -enable); shown in the check\'s notes.' },
    service: { type: 'string', arg: 'id', usage: 'The ID of a service to put in or out of maintenance, instead of the whole node.' },
  },
  http: true,
  async run({ flags, args, io, client }) {
    expectNoArgs(args);
    if (flags.enable && flags.disable) throw new CliError('Only one of -enable or -disable may be provided');
    if (!flags.enable && flags.reason) throw new CliError('Reason may only be provided with -enable');
    if (!flags.enable && !flags.disable && flags.service) throw new CliError('Service requires either -enable or -disable');
    const api = client();
    const service = flags.service;

    if (!flags.enable && !flags.disable) {
      const self = await attempt('Error querying agent', api.getJson<{ Config: { NodeName: string } }>('/v1/agent/self'));
      const checks = Object.values(await attempt('Error getting checks', api.getJson<Record<string, Check>>('/v1/agent/checks')));
      const node = checks.find((c) => c.CheckID === NODE_MAINT);
      if (node) io.stdout.write(`Node:\n  Name:   ${self.Config.NodeName}\n  Reason: ${node.Notes}\n\n`);
      const services = checks.filter((c) => c.CheckID.startsWith(SERVICE_MAINT)).sort((a, b) => (a.ServiceID < b.ServiceID ? -1 : 1));
      for (const c of services) io.stdout.write(`Service:\n  ID:     ${c.ServiceID}\n  Reason: ${c.Notes}\n\n`);
      return 0;
    }

    const enable = flags.enable;
    const query = { enable: String(enable), reason: enable ? (flags.reason ?? '') : undefined };
    const state = enable ? 'enabled' : 'disabled';
    const verb = enable ? 'enabling' : 'disabling';
    if (service) {
      await attempt(`Error ${verb} service maintenance`, api.ok('PUT', `/v1/agent/service/maintenance/${encodeURIComponent(service)}`, { query }));
      io.stdout.write(`Service maintenance is now ${state} for ${JSON.stringify(service)}\n`);
    } else {
      await attempt(`Error ${verb} node maintenance`, api.ok('PUT', '/v1/agent/maintenance', { query }));
      io.stdout.write(`Node maintenance is now ${state}\n`);
    }
    return 0;
  },
});
