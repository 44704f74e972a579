import { CliError, command } from '../command.js';
import { UsageError } from '../command-flags.js';
import { keyValues } from '../key-value-flags.js';
import { checkDefinition, servicesFromFiles } from '../service-files.js';

type Registration = Record<string, unknown>;

/** Flags fill in what a file leaves out (ID, Address, Port, SocketPath); meta merges and tags add up, as Consul's. */
function combine(file: Registration, flags: Registration): Registration {
  const out = { ...file };
  for (const k of ['ID', 'Address', 'Port', 'SocketPath']) if (flags[k] && !out[k]) out[k] = flags[k];
  out.Meta = { ...((out.Meta as Record<string, string>) ?? {}), ...(flags.Meta as Record<string, string>) };
  out.Tags = [...((out.Tags as string[]) ?? []), ...(flags.Tags as string[])];
  return out;
}

export const servicesRegisterCommand = command({
  name: 'services register',
  synopsis: 'Registers services with the local agent',
  usage: '[options] [FILE...]',
  description: `
Registers one or more services with the agent, from JSON service definition files
({"service": {...}} or {"services": [...]}, as in the agent's config files) or from flags.
Flags other than -name fill in what the files leave out. HCL files are not supported.
The service stays registered until \`praetor services deregister\`.

    $ praetor services register web.json
    $ praetor services register -name=web -port=8080 -tag=v1`,
  flags: {
    name: { type: 'string', arg: 'name', usage: 'Name of the service to register (registration from flags).' },
    id: { type: 'string', arg: 'id', usage: 'ID of the service; the name when not set.' },
    address: { type: 'string', arg: 'address', usage: "Address of the service; the node's address when not set." },
    port: { type: 'uint', arg: 'port', usage: 'Port of the service.' },
    socket: { type: 'string', arg: 'path', usage: 'Path of the Unix domain socket the service listens on (instead of address and port).' },
    tag: { type: 'strings', arg: 'tag', usage: 'Tag of the service; repeat for several.' },
    meta: { type: 'strings', arg: 'key=value', usage: 'Metadata of the service; repeat for several pairs.' },
  },
  http: true,
  async run({ flags, args, io, client }) {
    if (args.length === 0 && !flags.name) throw new UsageError('Service registration requires at least one argument or flags.');
    if (args.length > 0 && flags.name) throw new UsageError('Service registration requires arguments or -name, not both.');
    const fromFlags: Registration = {
      Name: flags.name,
      ID: flags.id,
      Address: flags.address,
      Port: flags.port,
      SocketPath: flags.socket,
      Tags: flags.tag,
      Meta: keyValues('meta', flags.meta),
    };
    let services: Registration[];
    if (args.length > 0) {
      const defs = servicesFromFiles(args).map((d) => ({ ...d, value: combine(d.value, fromFlags) }));
      defs.forEach(checkDefinition);
      services = defs.map((d) => d.value);
    } else {
      services = [Object.fromEntries(Object.entries(fromFlags).filter(([, v]) => v !== undefined && v !== ''))];
    }
    const api = client();
    for (const svc of services) {
      const name = String(svc.Name ?? '');
      try {
        await api.ok('PUT', '/v1/agent/service/register', { body: JSON.stringify(svc) });
      } catch (err) {
        if (err instanceof CliError) throw new CliError(`Error registering service ${JSON.stringify(name)}: ${err.message}`);
        throw err;
      }
      io.stdout.write(`Registered service: ${name}\n`);
    }
    return 0;
  },
});
