import { http, startAgent, within, type AgentProcess } from './harness.js';

/** Two datacenters of one server each: dc1's server joined to dc2's with -retry-join-wan (only that way). */
export interface TwoDatacenters {
  dc1: AgentProcess;
  dc2: AgentProcess;
  /** Stops every agent started (those added with `add` too); safe to call twice. */
  stop(): Promise<void>;
  /** Starts another agent that stop() stops too (a client of dc1, a second server...). */
  add(args: string[]): Promise<AgentProcess>;
}

export interface TwoDatacentersOptions {
  /** Extra flags for dc1's and dc2's server (e.g. -encrypt). */
  dc1Args?: string[];
  dc2Args?: string[];
  /** Wait until both servers list both datacenters (default true). */
  joined?: boolean;
}

const datacenters = async (a: AgentProcess) => (await http(`${a.url}/v1/catalog/datacenters`)).json() as string[];

/**
 * Starts dc2's server, then dc1's with `-retry-join-wan` to it, and (unless `joined: false`)
 * waits until each lists both datacenters. The caller stops them with stop().
 */
export async function startTwoDatacenters(opts: TwoDatacentersOptions = {}): Promise<TwoDatacenters> {
  const agents: AgentProcess[] = [];
  const add = async (args: string[]) => {
    const a = await startAgent(args);
    agents.push(a);
    return a;
  };
  const stop = async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop('SIGKILL')));
  };
  try {
    const dc2 = await add(['-dev', '-datacenter=dc2', '-node=s2', ...(opts.dc2Args ?? [])]);
    const dc1 = await add(['-dev', '-datacenter=dc1', '-node=s1', `-retry-join-wan=127.0.0.1:${dc2.port}`, ...(opts.dc1Args ?? [])]);
    if (opts.joined !== false) {
      for (const a of [dc1, dc2]) await within(20000, async () => (await datacenters(a)).length === 2, 100);
    }
    return { dc1, dc2, stop, add };
  } catch (err) {
    await stop();
    throw err;
  }
}

export { datacenters };
