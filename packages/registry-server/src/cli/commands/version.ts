import { VERSION } from '../../agent/agent.js';
import { command } from '../command.js';
import { UsageError } from '../command-flags.js';

export const PRAETOR_VERSION = '0.1.0';

export const versionCommand = command({
  name: 'version',
  synopsis: 'Prints the Praetor version',
  usage: '',
  description: 'Prints the version of this praetor binary and the Consul API version it speaks.',
  flags: {},
  async run({ args, io }) {
    if (args.length > 0) throw new UsageError('This command takes no arguments');
    io.stdout.write(`Praetor v${PRAETOR_VERSION}\nConsul API compatibility: v${VERSION}\n`);
    return 0;
  },
});
