import fs from 'node:fs';
import { within } from '@praetor/test-support';
import { startAgent, tempDir, type AgentProcess } from './harness.js';

export interface ClientAgent extends AgentProcess {
  node: string;
  dataDir: string;
  /** The server URL the client says it attached to last (from its log). */
  attachedTo(): string | undefined;
  /** Removes its data dir (after it stopped). */
  cleanup(): void;
}

/**
 * Starts a client agent (no -server) on loopback that joins `servers` (HTTP host:port or
 * URLs) with -retry-join, and waits until it attached to one. `dataDir` reuses a data dir (a
 * restart).
 */
export async function startClient(node: string, servers: string[], extra: string[] = [], dataDir = tempDir('praetor-client-')): Promise<ClientAgent> {
  const joins = servers.map((s) => `-retry-join=${s.replace(/^http:\/\//, '')}`);
  const agent = await startAgent([`-node=${node}`, `-data-dir=${dataDir}`, '-sync-interval=1s', ...joins, ...extra]);
  const attachedTo = () => [...agent.output().matchAll(/attached to a server: server=(\S+)/g)].pop()?.[1];
  await within(15_000, () => attachedTo(), `client ${node} attached to a server`);
  return { ...agent, node, dataDir, attachedTo, cleanup: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}
