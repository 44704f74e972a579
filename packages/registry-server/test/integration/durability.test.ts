import { expect } from 'chai';
import fs from 'node:fs';
import { http, startAgent, tempDir, type AgentProcess } from './harness.js';

/**
 * Acknowledged writes survive kill -9: a write load runs against an agent with -data-dir, the
 * agent is killed with SIGKILL mid-load, restarted on the same data dir, and every write that
 * got a 200 must be there with the same value and ModifyIndex.
 */
describe('durable embedded store', function () {
  this.timeout(60000);
  let dir: string;
  let agent: AgentProcess | undefined;

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await agent?.stop('SIGKILL');
    agent = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const args = () => ['-server', '-bootstrap', `-data-dir=${dir}`, '-node=durable', '-log-level=warn'];

  it('keeps every acknowledged write, with its ModifyIndex, across SIGKILL', async () => {
    agent = await startAgent(args());
    const url = agent.url;
    const acked = new Map<string, { value: string; index: number }>();
    let stop = false;
    let failures = 0;
    const writer = async (w: number) => {
      for (let i = 0; !stop && i < 100000; i++) {
        const key = `load/w${w}/k${i}`;
        const value = `value-${w}-${i}`;
        try {
          const put = await http(`${url}/v1/kv/${key}`, { method: 'PUT', body: value });
          if (put.status !== 200 || put.text !== 'true') continue;
          const get = await http(`${url}/v1/kv/${key}`);
          const [entry] = get.json() as Array<{ ModifyIndex: number }>;
          acked.set(key, { value, index: entry.ModifyIndex });
        } catch {
          failures++; // the process died under us: expected once it is killed
          return;
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    // Let the load run until a good number of writes were acknowledged, then pull the plug.
    const deadline = Date.now() + 20000;
    while (acked.size < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await agent.stop('SIGKILL');
    stop = true;
    await Promise.all(writers);
    expect(acked.size, 'writes acknowledged before the kill').to.be.greaterThan(50);

    agent = await startAgent(args());
    const all = await http(`${agent.url}/v1/kv/load/?recurse`);
    expect(all.status).to.equal(200);
    const stored = new Map((all.json() as Array<{ Key: string; Value: string; ModifyIndex: number }>).map((e) => [e.Key, e]));
    const missing: string[] = [];
    for (const [key, want] of acked) {
      const got = stored.get(key);
      if (!got || Buffer.from(got.Value, 'base64').toString() !== want.value || got.ModifyIndex !== want.index) missing.push(key);
    }
    expect(missing, `acknowledged writes lost or changed (of ${acked.size})`).to.deep.equal([]);
  });

  it('keeps the catalog and the agent services across a clean restart', async () => {
    agent = await startAgent(args());
    await http(`${agent.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'keep', Port: 9, Check: { TTL: '60s' } }) });
    await http(`${agent.url}/v1/agent/check/pass/service:keep`, { method: 'PUT' });
    const before = (await http(`${agent.url}/v1/health/service/keep`)).json() as Array<{ Service: { ModifyIndex: number } }>;
    await agent.stop('SIGTERM');
    agent = await startAgent(args());
    const services = (await http(`${agent.url}/v1/agent/services`)).json() as Record<string, { Port: number }>;
    expect(services.keep.Port).to.equal(9);
    const after = (await http(`${agent.url}/v1/health/service/keep?passing`)).json() as Array<{ Service: { ModifyIndex: number } }>;
    expect(after.map((e) => e.Service.ModifyIndex)).to.deep.equal(before.map((e) => e.Service.ModifyIndex));
  });

  it('never lets a reader see a write that SIGKILL then loses', async function () {
    this.timeout(240000);
    // Each writer counts up on its own key; readers note the highest count they ever saw. After
    // each kill and restart, every key must hold at least what any reader saw.
    const seen = new Map<string, number>();
    for (let round = 0; round < 5; round++) {
      agent = await startAgent(args());
      const url = agent.url;
      let stop = false;
      const writer = async (w: number) => {
        const key = `race/w${w}`;
        for (let n = (seen.get(key) ?? 0) + 1; !stop && n < 1_000_000; n++) {
          try {
            await http(`${url}/v1/kv/${key}`, { method: 'PUT', body: String(n) });
          } catch {
            return;
          }
        }
      };
      let reads = 0;
      const reader = async () => {
        while (!stop) {
          try {
            const res = await http(`${url}/v1/kv/race/?recurse`);
            if (res.status !== 200) continue;
            reads++;
            for (const e of res.json() as Array<{ Key: string; Value: string }>) {
              const n = Number(Buffer.from(e.Value, 'base64').toString());
              if (n > (seen.get(e.Key) ?? 0)) seen.set(e.Key, n);
            }
          } catch {
            return;
          }
        }
      };
      const load = [...Array.from({ length: 16 }, (_, w) => writer(w)), ...Array.from({ length: 8 }, () => reader())];
      const deadline = Date.now() + 20000;
      const target = 200 + round * 137;
      while (reads < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await agent.stop('SIGKILL');
      stop = true;
      await Promise.all(load);
      agent = await startAgent(args());
      const all = (await http(`${agent.url}/v1/kv/race/?recurse`)).json() as Array<{ Key: string; Value: string }>;
      const stored = new Map(all.map((e) => [e.Key, Number(Buffer.from(e.Value, 'base64').toString())]));
      const lost = [...seen].filter(([k, n]) => (stored.get(k) ?? 0) < n).map(([k, n]) => `${k}: saw ${n}, kept ${stored.get(k)}`);
      expect(lost, `round ${round}: values readers saw, lost by the kill`).to.deep.equal([]);
      await agent.stop('SIGKILL');
      agent = undefined;
    }
  });
});
