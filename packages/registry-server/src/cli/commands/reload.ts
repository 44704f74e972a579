import { attempt, command, expectNoArgs } from '../command.js';

export const reloadCommand = command({
  name: 'reload',
  synopsis: 'Triggers the agent to reload its configuration files',
  usage: '[options]',
  description: `
Asks the agent (-http-addr) to reload its configuration files, as SIGHUP does: the services,
checks and settings that can change without a restart are applied.`,
  flags: {},
  http: true,
  async run({ args, io, client }) {
    expectNoArgs(args);
    await attempt('Error reloading', client().ok('PUT', '/v1/agent/reload'));
    io.stdout.write('Configuration reload triggered\n');
    return 0;
  },
});
