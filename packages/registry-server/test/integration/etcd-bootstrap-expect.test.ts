import { expect } from 'chai';
import fs from 'node:fs';
import { Etcd3 } from 'etcd3';
import { http, runPraetor, startAgent, tempDir, within, type AgentProcess } from './harness.js';

/**
 * Consul's runbook, unchanged: three servers, each `agent -server -bootstrap-expect 3
 * -retry-join ...`, on 127.0.0.1, .2 and .3 (each its own address, Consul's default ports).
 * Each server runs its own etcd member (Debian's etcd); they form one cluster.
 */
describe('servers started as a Consul runbook does (-bootstrap-expect 3 -retry-join)', function () {
  this.timeout(180_000);
  const hosts = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
  const dirs = hosts.map(() => tempDir('praetor-runbook-'));
  const args = (i: number) => [
    '-server', '-bootstrap-expect', '3', `-node=runbook-${i + 1}`, `-bind=${hosts[i]}`, `-client=${hosts[i]}`, `-data-dir=${dirs[i]}`,
    '-http-port=8500', ...hosts.map((h) => `-retry-join=${h}`),
  ];
  let servers: AgentProcess[] = [];

  after(async () => {
    await Promise.all(servers.map((s) => s?.stop()));
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('form one etcd cluster and one registry, restart a dead member, keep serving when a server is SIGKILLed, take it back on restart, let one leave and join again as a new member', async () => {
    servers = await Promise.all(hosts.map((_, i) => startAgent(args(i), { timeoutMs: 90_000 })));
    const url = (i: number) => servers[i]!.url;
    expect((await http(`${url(0)}/v1/kv/runbook`, { method: 'PUT', body: 'formed' })).text).to.equal('true');
    for (const i of [1, 2]) expect((await http(`${url(i)}/v1/kv/runbook?raw`)).text).to.equal('formed');
    const peers = (await http(`${url(2)}/v1/status/peers`)).json() as string[];
    expect(peers.sort()).to.deep.equal(hosts.map((h) => `${h}:8300`));

    // The etcd members: three, one per server, named after the nodes.
    const etcd = new Etcd3({ hosts: hosts.map((h) => `http://${h}:2379`) });
    try {
      expect((await etcd.cluster.memberList({})).members.map((m) => m.name).sort()).to.deep.equal(['runbook-1', 'runbook-2', 'runbook-3']);

      // SIGKILL a server: the other two keep serving; restarted, it comes back with its member.
      await servers[2]!.stop('SIGKILL');
      expect((await http(`${url(0)}/v1/kv/after-kill`, { method: 'PUT', body: 'x' })).text).to.equal('true');
      servers[2] = await startAgent(args(2), { timeoutMs: 90_000 });
      await within(30_000, async () => (await http(`${url(2)}/v1/kv/after-kill?raw`)).text === 'x', 200);

      // An etcd member that dies is started again by its server.
      const pidFile = `${dirs[0]}/etcd/etcd.pid`;
      const before = Number(fs.readFileSync(pidFile, 'utf8'));
      process.kill(before, 'SIGKILL');
      await within(30_000, () => Number(fs.readFileSync(pidFile, 'utf8')) !== before, 200);
      await within(30_000, async () => ((await (await fetch('http://127.0.0.1:2379/health')).json()) as { health: string }).health === 'true', 200);
      expect(servers[0]!.output()).to.match(/etcd member exited .*starting it again/);

      // `praetor leave` on one: its etcd member is removed, the other two carry on.
      const left = await runPraetor(['leave', `-http-addr=${hosts[1]}:8500`]);
      expect(left.code, left.stderr).to.equal(0);
      await servers[1]!.exited;
      await within(20_000, async () => (await etcd.cluster.memberList({})).members.length === 2, 200);
      expect((await http(`${url(0)}/v1/kv/after-leave`, { method: 'PUT', body: 'y' })).text).to.equal('true');
      expect((await http(`${url(2)}/v1/kv/after-leave?raw`)).text).to.equal('y');

      // Started again, it finds the cluster running and joins it as a new member (member add).
      servers[1] = await startAgent(args(1), { timeoutMs: 90_000 });
      await within(30_000, async () => (await etcd.cluster.memberList({})).members.length === 3, 200);
      expect((await http(`${url(1)}/v1/kv/after-leave?raw`)).text).to.equal('y');
    } finally {
      etcd.close();
    }
  });
});
