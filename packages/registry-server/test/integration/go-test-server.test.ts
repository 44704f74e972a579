import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { freePort, http, startAgent, tempDir, within, type AgentProcess } from './harness.js';
import { startPraetorCluster } from './etcd-target.js';

/**
 * Issue 13, section 1: what HashiCorp's Go test helper (`sdk/testutil`, TestServer) asks of the
 * agent it starts, reproduced request by request (Go and the helper's modules cannot be built
 * here from Debian packages alone): WaitForLeader (`/v1/catalog/nodes` with a known leader and
 * an X-Consul-Index of at least 2), WaitForSerfCheck (`?index=0`, then the node's serfHealth),
 * the agent node's ModifyIndex equal to the listing's index right after start, and Stop
 * (SIGINT, SIGABRT after 10 s).
 */
async function waitLikeTestServer(url: string): Promise<void> {
  // WaitForLeader.
  await within(10_000, async () => {
    const res = await http(`${url}/v1/catalog/nodes`);
    return res.status === 200 && res.headers.get('x-consul-knownleader') === 'true' && Number(res.headers.get('x-consul-index')) >= 2;
  });
  // WaitForSerfCheck.
  await within(10_000, async () => {
    const nodes = await http(`${url}/v1/catalog/nodes?index=0`);
    const list = nodes.json() as Array<{ Node: string }>;
    if (nodes.status !== 200 || list.length < 1) return false;
    const checks = await http(`${url}/v1/health/node/${encodeURIComponent(list[0]!.Node)}`);
    return checks.status === 200 && (checks.json() as Array<{ CheckID: string }>).some((c) => c.CheckID === 'serfHealth');
  });
}

/** The agent node's ModifyIndex and the listing's X-Consul-Index, as the helper's users compare them. */
async function nodeIndexes(url: string): Promise<{ modify: number; listing: number }> {
  const node = (JSON.parse((await http(`${url}/v1/agent/self`)).text) as { Config: { NodeName: string } }).Config.NodeName;
  const res = await http(`${url}/v1/catalog/nodes`);
  const n = (res.json() as Array<{ Node: string; ModifyIndex: number }>).find((x) => x.Node === node);
  return { modify: n?.ModifyIndex ?? -1, listing: Number(res.headers.get('x-consul-index')) };
}

/** SIGINT, as TestServer.Stop sends it; the agent must exit cleanly well before the helper's SIGABRT. */
async function stopLikeTestServer(agent: AgentProcess): Promise<number | string> {
  const abort = setTimeout(() => agent.proc.kill('SIGABRT'), 10_000);
  try {
    return await agent.stop('SIGINT');
  } finally {
    clearTimeout(abort);
  }
}

describe('Go test helper (issue 13 §1): a fresh store passes index 1 before the node registers', function () {
  this.timeout(60_000);

  it('the config file TestServer writes, on the embedded store: waits pass, node ModifyIndex = listing index ≥ 2, SIGINT exits 0', async () => {
    const dir = tempDir('praetor-go-testserver-');
    const nodeID = crypto.randomUUID();
    const ports = { dns: await freePort(), http: await freePort(), https: await freePort(), serf_lan: await freePort(), serf_wan: await freePort(), server: await freePort(), grpc: await freePort() };
    const config = {
      node_name: `node-${nodeID}`,
      node_id: nodeID,
      performance: { raft_multiplier: 1 },
      bootstrap: true,
      server: true,
      data_dir: path.join(dir, 'data'),
      segments: null,
      disable_update_check: true,
      log_level: 'debug',
      bind_addr: '127.0.0.1',
      addresses: {},
      ports,
      connect: { enabled: true, ca_config: { cluster_id: '11111111-2222-3333-4444-555555555555' } },
      skip_leave_on_interrupt: true,
    };
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    const agent = await startAgent(['-config-file', path.join(dir, 'config.json')]);
    try {
      await waitLikeTestServer(agent.url);
      const { modify, listing } = await nodeIndexes(agent.url);
      expect(listing).to.be.at.least(2);
      expect(modify).to.equal(listing);
    } finally {
      const code = await stopLikeTestServer(agent);
      fs.rmSync(dir, { recursive: true, force: true });
      expect(code, agent.output()).to.equal(0);
    }
  });

  it('-dev: the same', async () => {
    const agent = await startAgent(['-dev']);
    try {
      await waitLikeTestServer(agent.url);
      const { modify, listing } = await nodeIndexes(agent.url);
      expect(listing).to.be.at.least(2);
      expect(modify).to.equal(listing);
    } finally {
      expect(await stopLikeTestServer(agent), agent.output()).to.equal(0);
    }
  });

  it('the etcd backend (one server on a fresh prefix): the same', async () => {
    const cluster = await startPraetorCluster({ count: 1 });
    try {
      const server = cluster.servers[0]!;
      await waitLikeTestServer(server.url);
      const { modify, listing } = await nodeIndexes(server.url);
      expect(listing).to.be.at.least(2);
      expect(modify).to.equal(listing);
      expect(await stopLikeTestServer(server), server.output()).to.equal(0);
    } finally {
      await cluster.stop();
    }
  });
});
