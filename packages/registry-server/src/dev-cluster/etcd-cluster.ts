import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '@praetor/test-support';

/** One etcd member started by startEtcdCluster. */
export interface EtcdMember {
  name: string;
  clientUrl: string;
  peerUrl: string;
  /** Whether its process runs now. */
  running(): boolean;
  /** Its process ID while it runs. */
  pid(): number | undefined;
  /** SIGKILLs it (no clean shutdown) and waits for the exit. */
  kill(): Promise<void>;
  /** Starts it again on the same ports and data. */
  restart(): void;
  output(): string;
}

export interface EtcdCluster {
  members: EtcdMember[];
  /** The members' client URLs, comma-separated, as -etcd-endpoints takes them. */
  endpoints: string;
  /** Where the members keep their data. */
  dataDir: string;
  /** Waits until the cluster answers /health with a quorum (bounded). */
  healthy(timeoutMs?: number): Promise<void>;
  /** Kills every member and removes the data unless it was given. */
  stop(): Promise<void>;
}

export interface EtcdClusterOptions {
  size?: number;
  host?: string;
  /** Where the members keep their data (a temporary directory by default, removed by stop()). */
  dataDir?: string;
  /** The etcd binary (default: `etcd` on PATH). */
  binary?: string;
}

/** Whether an etcd binary can run here. */
export function etcdAvailable(binary = 'etcd'): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts an etcd cluster of real `etcd` processes on free loopback ports (Debian's etcd-server
 * 3.4), sized for Praetor: --max-txn-ops 10000 (a command's compares and writes go in one
 * transaction) and quick elections. The caller stops it.
 */
export async function startEtcdCluster(opts: EtcdClusterOptions = {}): Promise<EtcdCluster> {
  const size = opts.size ?? 3;
  const host = opts.host ?? '127.0.0.1';
  const binary = opts.binary ?? 'etcd';
  const own = !opts.dataDir;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'praetor-etcd-'));
  const token = `praetor-${process.pid}-${Date.now()}`;
  const ports: Array<{ client: number; peer: number }> = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(host), peer: await freePort(host) });
  const names = ports.map((_, i) => `etcd${i + 1}`);
  const initial = ports.map((p, i) => `${names[i]}=http://${host}:${p.peer}`).join(',');
  const members: EtcdMember[] = ports.map((p, i) => {
    const name = names[i]!;
    const clientUrl = `http://${host}:${p.client}`;
    const peerUrl = `http://${host}:${p.peer}`;
    const args = [
      '--name', name,
      '--data-dir', path.join(dataDir, name),
      '--listen-client-urls', clientUrl,
      '--advertise-client-urls', clientUrl,
      '--listen-peer-urls', peerUrl,
      '--initial-advertise-peer-urls', peerUrl,
      '--initial-cluster', initial,
      '--initial-cluster-state', 'new',
      '--initial-cluster-token', token,
      '--max-txn-ops', '10000',
      '--max-request-bytes', String(10 * 1024 * 1024),
      '--heartbeat-interval', '100',
      '--election-timeout', '1000',
      '--logger', 'zap',
      '--log-level', 'warn',
    ];
    let proc: ChildProcess | null = null;
    let out = '';
    let exited: Promise<void> = Promise.resolve();
    const start = () => {
      const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      proc = child;
      child.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)));
      child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
      exited = new Promise((resolve) => child.once('exit', () => resolve()));
    };
    start();
    return {
      name,
      clientUrl,
      peerUrl,
      running: () => proc !== null && proc.exitCode === null && proc.signalCode === null,
      pid: () => proc?.pid,
      kill: async () => {
        if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
        await exited;
      },
      restart: start,
      output: () => out,
    };
  });
  const cluster: EtcdCluster = {
    members,
    endpoints: members.map((m) => m.clientUrl).join(','),
    dataDir,
    async healthy(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (const m of members) {
          if (!m.running()) continue;
          const ok = await fetch(`${m.clientUrl}/health`, { signal: AbortSignal.timeout(2000) })
            .then(async (r) => r.ok && ((await r.json()) as { health?: string }).health === 'true')
            .catch(() => false);
          if (ok) return;
        }
        if (Date.now() > deadline) {
          throw new Error(`the etcd cluster did not become healthy within ${timeoutMs} ms:\n${members.map((m) => `--- ${m.name}\n${m.output().slice(-2000)}`).join('\n')}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async stop() {
      await Promise.all(
        members.map(async (m) => {
          await m.kill();
        }),
      );
      if (own) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return cluster;
}
