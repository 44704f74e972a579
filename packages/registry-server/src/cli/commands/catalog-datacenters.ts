import { attempt, command, expectNoArgs } from '../command.js';

export const catalogDatacentersCommand = command({
  name: 'catalog datacenters',
  synopsis: 'Lists all known datacenters',
  usage: '[options]',
  description: 'Lists the datacenters the agent knows, one a line.',
  flags: {},
  http: true,
  async run({ args, io, client }) {
    expectNoArgs(args);
    const dcs = await attempt('Error listing datacenters', client().getJson<string[]>('/v1/catalog/datacenters'));
    for (const dc of dcs) io.stdout.write(`${dc}\n`);
    return 0;
  },
});
