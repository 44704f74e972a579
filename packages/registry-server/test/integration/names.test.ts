import { expect } from 'chai';
import fs from 'node:fs';
import { http, startAgent, tempDir, within, type AgentProcess } from './harness.js';

/**
 * Names that hold NUL and other separators (issue 8, item 8). Consul 1.8.7 stores them as given
 * (only an empty node or service name is refused), so Praetor must too, and its storage keys
 * must stay unambiguous: a node `a\0b` with service `c` is not node `a` with service `b\0c`.
 */
const ODD = ['a\u0000b', 'a', 'a\u0000', '\u0000', 'a\nb', 'a/b', 'a\u0001b', '["a","b"]', 'x'.repeat(300)];

describe('names with NUL and separators', function () {
  this.timeout(60000);
  const agents: AgentProcess[] = [];
  let dir: string;

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = async (args: string[]) => {
    const a = await startAgent([...args, '-node=names-agent', '-log-level=warn']);
    agents.push(a);
    return a;
  };
  const put = async (url: string, path: string, body: unknown) => {
    const res = await http(`${url}${path}`, { method: 'PUT', body: JSON.stringify(body) });
    expect(res.status, `${path} ${JSON.stringify(body)}: ${res.text}`).to.equal(200);
    return res;
  };
  const get = async (url: string, path: string) => {
    const res = await http(`${url}${path}`);
    expect(res.status, `${path}: ${res.text}`).to.equal(200);
    return res.json();
  };

  /** Every pair of odd names as node and service/check ID, the collisions the old `node\0id` key had included. */
  async function registerAll(url: string): Promise<void> {
    for (const node of ODD) {
      for (const id of ODD) {
        await put(url, '/v1/catalog/register', { Node: node, Address: '127.0.0.9', Service: { ID: id, Service: `svc${id}`, Port: 1 }, Check: { CheckID: id, Name: 'c', ServiceID: id } });
      }
    }
  }

  /** What a user sees of the catalog: nodes, services and every check with its owner and service. */
  async function catalogState(url: string): Promise<unknown> {
    const checks = (await get(url, '/v1/health/state/any')) as Array<{ Node: string; CheckID: string; ServiceID: string; ModifyIndex: number }>;
    return {
      nodes: await get(url, '/v1/catalog/nodes'),
      services: await get(url, '/v1/catalog/services'),
      checks: checks.map((c) => [c.Node, c.CheckID, c.ServiceID, c.ModifyIndex]),
    };
  }

  /** The service IDs a node's checks belong to (each registered service carries one check). */
  async function serviceIdsOf(url: string, node: string): Promise<string[]> {
    const all = (await get(url, '/v1/health/state/any')) as Array<{ Node: string; ServiceID: string }>;
    return all.filter((c) => c.Node === node).map((c) => c.ServiceID);
  }

  it('registers and deregisters every combination without leaving orphans', async () => {
    const a = await start(['-dev']);
    const empty = await catalogState(a.url);
    await registerAll(a.url);
    for (const node of ODD) {
      const ids = (await serviceIdsOf(a.url, node)).sort();
      expect(ids, `checks of node ${JSON.stringify(node)}`).to.deep.equal([...ODD].sort());
    }
    for (const node of ODD) {
      for (const id of ODD) await put(a.url, '/v1/catalog/deregister', { Node: node, ServiceID: id });
      await put(a.url, '/v1/catalog/deregister', { Node: node });
    }
    const after = (await catalogState(a.url)) as { nodes: Array<{ Node: string }>; services: unknown; checks: unknown };
    const was = empty as typeof after;
    expect(after.nodes.map((n) => n.Node)).to.deep.equal(was.nodes.map((n) => n.Node));
    expect(after.services).to.deep.equal(was.services);
    expect(after.checks).to.deep.equal(was.checks);
  });

  it('takes a snapshot that restores, and keeps the same state across a restart', async () => {
    const a = await start(['-server', '-bootstrap', `-data-dir=${dir}`]);
    await registerAll(a.url);
    // Deregister half, so a deleted key that was mis-split would leave an orphan behind.
    for (const node of ODD.slice(0, 4)) await put(a.url, '/v1/catalog/deregister', { Node: node });
    for (const node of ODD.slice(4)) await put(a.url, '/v1/catalog/deregister', { Node: node, ServiceID: ODD[0] });
    const before = await catalogState(a.url);

    const snap = await fetch(`${a.url}/v1/snapshot`);
    expect(snap.status).to.equal(200);
    const archive = Buffer.from(await snap.arrayBuffer());
    const restored = await http(`${a.url}/v1/snapshot`, { method: 'PUT', body: archive });
    expect(restored.status, restored.text).to.equal(200);
    expect(await catalogState(a.url)).to.deep.equal(before);

    await a.stop();
    agents.splice(agents.indexOf(a), 1);
    const b = await start(['-server', '-bootstrap', `-data-dir=${dir}`]);
    expect(await catalogState(b.url)).to.deep.equal(before);
    for (const node of ODD.slice(4)) {
      const ids = (await serviceIdsOf(b.url, node)).sort();
      expect(ids, `checks of node ${JSON.stringify(node)}`).to.deep.equal(ODD.slice(1).sort());
    }
  });

  it('refuses what Consul refuses, with its texts, and warns about service names DNS cannot serve', async () => {
    const a = await start(['-dev', '-log-level=info']);
    const register = (body: unknown) => http(`${a.url}/v1/catalog/register`, { method: 'PUT', body: JSON.stringify(body) });
    let res = await register({ Node: '', Address: '127.0.0.9' });
    expect([res.status, res.text]).to.deep.equal([500, 'Must provide node']);
    res = await register({ Node: 'n1', Address: '127.0.0.9', Service: { ID: 'x' } });
    expect([res.status, res.text]).to.deep.equal([500, 'Must provide service name with ID']);
    res = await http(`${a.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: '' }) });
    expect([res.status, res.text]).to.deep.equal([400, 'Missing service name']);
    // Accepted, as Consul accepts it, with Consul's warning in the log.
    await put(a.url, '/v1/agent/service/register', { Name: 'web.v1\u0000' });
    const warned = /\[WARN\].*Service name will not be discoverable via DNS due to invalid characters/;
    await within(5000, () => warned.test(a.output()));
  });

  it('does not let a query value holding NUL fill the cached answer of another query', async () => {
    const a = await start(['-dev']);
    await put(a.url, '/v1/agent/service/register', { Name: 'web', ID: 'web1', Tags: ['v1'] });
    const legit = '/v1/health/service/web?tag=v1&passing';
    // Same bytes as the legit query once its separators are NUL-joined; it matches no instance.
    const forged = await http(`${a.url}/v1/health/service/web?tag=v1%00passing=`);
    expect(forged.status).to.equal(200);
    expect(forged.json()).to.deep.equal([]);
    const res = (await get(a.url, legit)) as Array<{ Service: { ID: string } }>;
    expect(res.map((e) => e.Service.ID)).to.deep.equal(['web1']);
  });
});
