import { startAgent, type AgentProcess } from './harness.js';
import { roundRobin, startPraetorCluster } from './etcd-target.js';

/**
 * What the API suites run against: `dev`, one agent with its own store; `etcd`, three servers
 * on a real etcd cluster behind a round-robin front (each request to the next server; the
 * /v1/agent/ ones to the first), so every suite also checks that what one server acknowledged,
 * the others answer.
 */
export type Target = 'dev' | 'etcd';
export const TARGETS: readonly Target[] = ['dev', 'etcd'];

/** Starts `target` with the agent `args` (as startAgent takes them); the caller stops it. */
export async function startTarget(target: Target, args: string[] = ['-dev']): Promise<AgentProcess> {
  if (target === 'dev') return startAgent(args);
  const cluster = await startPraetorCluster({ args: args.filter((a) => !a.startsWith('-http-port') && !a.startsWith('-node=')) });
  const front = await roundRobin(() => cluster.servers.map((s) => s.url));
  const first = cluster.servers[0]!;
  const { hostname, port } = new URL(front.url);
  return {
    proc: first.proc,
    url: front.url,
    host: hostname,
    port: Number(port),
    output: () => cluster.servers.map((s, i) => `--- server ${i + 1}\n${s.output()}`).join('\n'),
    exited: first.exited,
    stop: async () => {
      await front.close();
      await cluster.stop();
      return first.exited;
    },
  };
}
