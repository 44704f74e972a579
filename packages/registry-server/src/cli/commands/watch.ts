import { formatDuration } from '../../internal/duration.js';
import { command, CliError } from '../command.js';
import { UsageError } from '../command-flags.js';
import { withPrefix } from '../kv-client.js';
import { goJson } from '../go-json.js';
import { WatchHandler } from '../watch/watch-handler.js';
import { WatchPlan } from '../watch/watch-plan.js';
import { watchQuery, WatchParamError, type WatchParams, type WatchQuery } from '../watch/watch-types.js';

/** Go's strconv.ParseBool. */
function parseBool(text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new CliError(`Failed to parse passingonly flag: strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
}

export const watchCommand = command({
  name: 'watch',
  synopsis: 'Watches a view of the registry for changes',
  usage: '[options] [child...]',
  description: `
Watches one view (a key, a key prefix, the services, the nodes, a service's instances, checks
or events) with blocking queries. With a child command, runs it with the first result and again
after every change, the data as JSON on its stdin and CONSUL_INDEX set, until interrupted; a
child that fails stops the watch (exit 1). Without one, prints the current data as JSON and
exits.

  $ praetor watch -type=key -key=config/app ./reload.sh
  $ praetor watch -type=service -service=web -passingonly=true 'cat >> /tmp/web.log'
  $ praetor watch -type=nodes`,
  http: true,
  flags: {
    key: { type: 'string', usage: 'The key to watch. Only for the "key" type.' },
    name: { type: 'string', usage: 'The event name to watch. Only for the "event" type.' },
    passingonly: {
      type: 'string',
      arg: 'true|false',
      usage: 'Only instances whose checks all pass. Optional for the "service" type; true or false, default false.',
    },
    prefix: { type: 'string', usage: 'The key prefix to watch. Only for the "keyprefix" type.' },
    service: { type: 'string', usage: 'The service to watch. Required for the "service" type, optional for "checks".' },
    shell: { type: 'bool', default: true, usage: 'Run the child through $SHELL -c (or /bin/sh). -shell=false runs it directly. Default true.' },
    state: { type: 'string', usage: 'The check state to watch (any, passing, warning, critical). Optional for the "checks" type.' },
    tag: { type: 'strings', arg: 'value', usage: 'A service tag to filter on; repeat for several. Optional for the "service" type.' },
    type: { type: 'string', usage: 'The watch type: key, keyprefix, services, nodes, service, checks or event.' },
  },
  async run({ flags, args, io, client }) {
    if (!flags.type) throw new UsageError('Watch type must be specified');
    const params: WatchParams = {
      key: flags.key,
      prefix: flags.prefix,
      service: flags.service,
      tag: flags.tag.length > 0 ? flags.tag : undefined,
      passingonly: flags.passingonly === undefined ? undefined : parseBool(flags.passingonly),
      state: flags.state,
      name: flags.name,
    };
    let query: WatchQuery;
    try {
      query = watchQuery(flags.type, params);
    } catch (err) {
      if (err instanceof WatchParamError) throw new CliError(err.message);
      throw err;
    }
    const api = client();
    // As Consul's: an agent that cannot be reached at the start is an error, not a retry.
    await withPrefix('Error querying Praetor agent: ', () => api.ok('GET', '/v1/agent/self'));

    const handler = args.length > 0 ? new WatchHandler(args, flags.shell, io) : null;
    let failure: string | null = null;
    const plan = new WatchPlan({
      monotonic: query.monotonic,
      fetch: (last, signal) => query.fetch(api, last, signal),
      onError: (err, retryMs) =>
        io.stderr.write(
          `${new Date().toISOString()} [ERROR] watch: Watch errored: type=${flags.type} error=${JSON.stringify(err.message.split('\n')[0])} retry=${formatDuration(retryMs)}\n`,
        ),
      handler: async (index, value) => {
        if (!handler) {
          io.stdout.write(`${goJson(value, '    ')}\n`);
          return false;
        }
        try {
          await handler.run(index, `${goJson(value, '')}\n`);
          return true;
        } catch (err) {
          if (plan.stopped) return false;
          failure = (err as Error).message;
          return false;
        }
      },
    });

    let signals = 0;
    const onSignal = (sig: NodeJS.Signals) => {
      if (++signals > 1) process.exit(1);
      plan.stop();
      handler?.signal(sig);
    };
    const onInt = () => onSignal('SIGINT');
    const onTerm = () => onSignal('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    try {
      await plan.run();
    } finally {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    }
    if (failure) throw new CliError(failure);
    return 0;
  },
});
