import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Etcd3 } from 'etcd3';
import type { Logger } from 'winston';
import { splitHostPort } from '../../../membership/member.js';
import { etcdProblem } from '../etcd-errors.js';
import { askMember, MemberDiscovery, type MemberInfo } from './member-discovery.js';

export interface SupervisorOptions {
  /** The node name: also the etcd member name. */
  name: string;
  /** -bind: the etcd member listens there (client 2379, peer 2380, etcd's own ports). */
  bind: string;
  /** -server-port: where the servers find each other (member-discovery.ts). */
  serverPort: number;
  /** `<data-dir>/etcd`. */
  dir: string;
  binary: string;
  /** -bootstrap-expect. */
  expect: number;
  /** -retry-join hosts (a port given is ignored: the server port is used). */
  retryJoin: string[];
  clientPort?: number;
  peerPort?: number;
}

/** How the member was started, kept in its dir so a restart starts it the same way. */
interface LaunchPlan {
  initialCluster: string;
  state: 'new' | 'existing';
  token: string;
}

const PLAN_FILE = 'praetor-member.json';
const PID_FILE = 'etcd.pid';

/**
 * Consul's runbook (`agent -server -bootstrap-expect N -retry-join ...` on N machines) on etcd:
 * each server runs and watches its own etcd member. Before any member exists, the servers
 * find each other through their server ports; once N have met, the N first by name start one
 * etcd cluster together; a server that finds the cluster running joins it as a new member
 * (member add). A restart starts the member from its data; a member that dies is started again.
 * etcd keeps the quorum; Praetor only starts, watches and stops it.
 */
export class EtcdSupervisor {
  private proc: ChildProcess | null = null;
  private stopping = false;
  private running = false;
  private readonly discovery: MemberDiscovery;
  private readonly peers = new Map<string, MemberInfo>();
  readonly clientUrl: string;
  readonly peerUrl: string;

  constructor(
    private readonly opts: SupervisorOptions,
    private readonly log: Logger,
  ) {
    const host = opts.bind.includes(':') ? `[${opts.bind}]` : opts.bind;
    this.clientUrl = `http://${host}:${opts.clientPort ?? 2379}`;
    this.peerUrl = `http://${host}:${opts.peerPort ?? 2380}`;
    this.discovery = new MemberDiscovery(() => this.info(), log);
  }

  private info(): MemberInfo {
    return { name: this.opts.name, peerUrl: this.peerUrl, clientUrl: this.clientUrl, running: this.running };
  }

  /** Starts (or forms, or joins) the member; resolves with the endpoints once it is healthy. */
  async start(): Promise<string[]> {
    fs.mkdirSync(this.opts.dir, { recursive: true });
    this.killLeftover();
    await this.discovery.listen(this.opts.bind, this.opts.serverPort);
    const saved = this.readPlan();
    const plan = saved ?? (await this.form());
    if (!saved) fs.writeFileSync(path.join(this.opts.dir, PLAN_FILE), JSON.stringify(plan));
    this.launch(plan);
    await this.healthy();
    this.running = true;
    const endpoints = [this.clientUrl, ...[...this.peers.values()].map((p) => p.clientUrl).filter((u) => u !== this.clientUrl)];
    this.log.info('this server\'s etcd member is up', { member: this.opts.name, endpoints: endpoints.join(',') });
    return endpoints;
  }

  /** Waits until `expect` servers have met (or a running cluster answers), asking every second. */
  private async form(): Promise<LaunchPlan> {
    const hosts = this.opts.retryJoin.map((a) => splitHostPort(a).host);
    for (let attempt = 1; !this.stopping; attempt++) {
      const answers = await Promise.all(hosts.map((h) => askMember(h, this.opts.serverPort)));
      for (const a of answers) if (a && a.name !== this.opts.name) this.peers.set(a.name, a);
      const live = [...this.peers.values()].find((p) => p.running);
      if (live) {
        try {
          return await this.join(live);
        } catch (err) {
          this.log.warn(`cannot join the etcd cluster through ${live.name} (${etcdProblem(err)}); retrying`);
        }
      } else {
        const names = [this.opts.name, ...this.peers.keys()].sort();
        if (names.length >= this.opts.expect) {
          const chosen = names.slice(0, this.opts.expect);
          if (chosen.includes(this.opts.name)) {
            const all = [this.info(), ...this.peers.values()].filter((m) => chosen.includes(m.name));
            const initialCluster = all.map((m) => `${m.name}=${m.peerUrl}`).sort().join(',');
            this.log.info(`${this.opts.expect} servers have met; starting the etcd cluster`, { members: chosen.join(',') });
            return { initialCluster, state: 'new', token: `praetor-${createHash('sha256').update(initialCluster).digest('hex').slice(0, 16)}` };
          }
        }
      }
      if (attempt % 5 === 1) {
        this.log.info(`waiting for ${this.opts.expect} servers to meet (bootstrap_expect): ${1 + this.peers.size} so far`, { asked: hosts.join(',') || '(no retry_join)' });
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error('stopped while waiting for the other servers');
  }

  /** Adds this server's member to the running cluster, through `live`'s etcd. */
  private async join(live: MemberInfo): Promise<LaunchPlan> {
    const client = new Etcd3({ hosts: live.clientUrl, dialTimeout: 5000 });
    try {
      const list = await client.cluster.memberList({});
      const mine = list.members.find((m) => m.peerURLs.includes(this.peerUrl));
      const added = mine ? list : await client.cluster.memberAdd({ peerURLs: [this.peerUrl] });
      const members = added.members.map((m) => `${m.name || this.opts.name}=${m.peerURLs[0]}`).sort();
      this.log.info('joining the running etcd cluster as a new member', { through: live.name });
      return { initialCluster: members.join(','), state: 'existing', token: 'praetor-join' };
    } finally {
      client.close();
    }
  }

  private launch(plan: LaunchPlan): void {
    const args = [
      '--name', this.opts.name,
      '--data-dir', path.join(this.opts.dir, 'data'),
      '--listen-client-urls', this.clientUrl,
      '--advertise-client-urls', this.clientUrl,
      '--listen-peer-urls', this.peerUrl,
      '--initial-advertise-peer-urls', this.peerUrl,
      '--initial-cluster', plan.initialCluster,
      '--initial-cluster-state', plan.state,
      '--initial-cluster-token', plan.token,
      '--max-txn-ops', '10000',
      '--max-request-bytes', String(10 * 1024 * 1024),
      '--logger', 'zap',
      '--log-level', 'warn',
    ];
    const child = spawn(this.opts.binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = child;
    let tail = '';
    child.stderr!.on('data', (d) => (tail = (tail + d).slice(-4000)));
    child.once('error', (err) => this.log.error(`cannot run etcd (${this.opts.binary}): ${err.message}; install it (Debian: etcd-server) or pass -etcd-binary`));
    if (child.pid) fs.writeFileSync(path.join(this.opts.dir, PID_FILE), String(child.pid));
    child.once('exit', (code, signal) => {
      if (this.stopping || this.proc !== child) return;
      this.log.warn(`this server's etcd member exited (${code ?? signal}); starting it again in 1 s`, { tail: tail.split('\n').slice(-3).join(' | ') });
      setTimeout(() => {
        if (!this.stopping) this.launch(plan);
      }, 1000).unref();
    });
  }

  /** Waits until the member answers healthy (it needs a quorum of the cluster to). */
  private async healthy(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      const ok = await fetch(`${this.clientUrl}/health`, { signal: AbortSignal.timeout(2000) })
        .then(async (r) => r.ok && ((await r.json()) as { health?: string }).health === 'true')
        .catch(() => false);
      if (ok) return;
      if (attempt % 25 === 0) this.log.info('waiting for the etcd cluster to have a quorum', { member: this.opts.name });
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** A member that outlived its Praetor server (which was killed) holds the ports: stop it. */
  private killLeftover(): void {
    const file = path.join(this.opts.dir, PID_FILE);
    let pid: number;
    try {
      pid = Number(fs.readFileSync(file, 'utf8'));
    } catch {
      return;
    }
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(path.join(this.opts.dir, 'data'))) return;
      process.kill(pid, 'SIGKILL');
      this.log.warn('stopped the etcd member a previous run of this server left running', { pid });
    } catch {
      // Not running any more.
    }
  }

  private readPlan(): LaunchPlan | null {
    try {
      return JSON.parse(fs.readFileSync(path.join(this.opts.dir, PLAN_FILE), 'utf8')) as LaunchPlan;
    } catch {
      return null;
    }
  }

  /** `leave`: removes this member from the cluster (so the others keep their quorum), then stops. */
  async leave(): Promise<void> {
    const hosts = [this.clientUrl, ...[...this.peers.values()].map((p) => p.clientUrl)];
    // etcd refuses a removal while a member came back too recently to count on ("unhealthy
    // cluster"): retried for up to 30 s, each time with a new client (the client's breaker
    // would refuse the next attempts by itself).
    for (let attempt = 1; ; attempt++) {
      const client = new Etcd3({ hosts, dialTimeout: 5000 });
      try {
        const list = await client.cluster.memberList({});
        const mine = list.members.find((m) => m.peerURLs.includes(this.peerUrl));
        if (mine) await client.cluster.memberRemove({ ID: mine.ID });
        await this.stop();
        // Removed, its data is of no use: a later start forms or joins anew.
        fs.rmSync(this.opts.dir, { recursive: true, force: true });
        this.log.info('left the etcd cluster', { member: this.opts.name });
        return;
      } catch (err) {
        if (attempt >= 30) {
          this.log.warn(`could not remove this server's etcd member (${etcdProblem(err)}); remove it with etcdctl member remove`);
          await this.stop();
          return;
        }
        await new Promise((r) => setTimeout(r, 1000));
      } finally {
        client.close();
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.discovery.close();
    const child = this.proc;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  }
}
