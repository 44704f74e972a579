import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEtcdCluster, type EtcdCluster } from '../../src/dev-cluster/etcd-cluster.js';
import { freePort, startAgent, tempDir, within, type AgentProcess } from './harness.js';

/**
 * Tests against Praetor servers on a real etcd cluster (Debian's etcd-server, installed by
 * `npm test`): one 3-member etcd cluster shared by the whole run, started on first use and
 * killed when the test process exits; each Praetor cluster gets its own key prefix.
 */
let shared: Promise<EtcdCluster> | null = null;

export function sharedEtcd(): Promise<EtcdCluster> {
  shared ??= startEtcdCluster().then(async (c) => {
    process.once('exit', () => {
      for (const m of c.members) if (m.running()) process.kill(m.pid()!, 'SIGKILL');
      fs.rmSync(c.dataDir, { recursive: true, force: true });
    });
    await c.healthy();
    return c;
  });
  return shared;
}

export interface PraetorCluster {
  etcd: EtcdCluster;
  servers: AgentProcess[];
  /** The servers' args, by index (restart() starts one again with them). */
  args: string[][];
  /** Starts server `i` again (after it was stopped or killed) with its args and data. */
  restart(i: number): Promise<AgentProcess>;
  /** Stops every server (SIGTERM), removes their data dirs, and stops the etcd cluster if it is their own. */
  stop(): Promise<void>;
}

let seq = 0;

/**
 * Starts `count` Praetor servers on `etcd` (the shared cluster by default) under a fresh
 * prefix. `args` are added to each server's (`-dev` keeps the dev defaults, state in etcd all
 * the same); without `-dev` each server gets its own data dir.
 */
export async function startPraetorCluster(opts: { count?: number; args?: string[]; ownEtcd?: boolean; env?: (i: number) => NodeJS.ProcessEnv } = {}): Promise<PraetorCluster> {
  // A test that kills etcd members gets an etcd cluster of its own, stopped with the servers.
  const etcd = opts.ownEtcd ? await startEtcdCluster() : await sharedEtcd();
  if (opts.ownEtcd) await etcd.healthy();
  const count = opts.count ?? 3;
  const extra = opts.args ?? [];
  const prefix = `praetor-test-${process.pid}-${++seq}`;
  const dirs: string[] = [];
  const args: string[][] = [];
  for (let i = 0; i < count; i++) {
    const a = ['-server', `-node=s${i + 1}-${prefix}`, '-http-port=0', '-dns-port=0', `-server-port=${await freePort()}`, '-store', 'etcd', `-etcd-endpoints=${etcd.endpoints}`, `-etcd-prefix=${prefix}`, ...extra];
    if (!extra.includes('-dev')) {
      const dir = tempDir('praetor-etcd-server-');
      dirs.push(dir);
      a.push(`-data-dir=${dir}`);
    }
    args.push(a);
  }
  const env = (i: number) => opts.env?.(i) ?? {};
  const servers = await Promise.all(args.map((a, i) => startAgent(a, { timeoutMs: 30_000, env: env(i) })));
  // Every server sees every other (and a leader) before the tests start.
  await within(20_000, async () => {
    for (const s of servers) {
      const peers = (await (await fetch(`${s.url}/v1/status/peers`)).json()) as string[];
      const leader = (await (await fetch(`${s.url}/v1/status/leader`)).json()) as string;
      if (peers.length !== count || leader === '') return false;
    }
    return true;
  });
  return {
    etcd,
    servers,
    args,
    async restart(i) {
      servers[i] = await startAgent(args[i]!, { timeoutMs: 30_000, env: env(i) });
      return servers[i]!;
    },
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
      if (opts.ownEtcd) await etcd.stop();
    },
  };
}

/**
 * An HTTP front that sends each request to the next server in turn (a load balancer in front
 * of the servers, as clients often have): a test written for one agent then checks that
 * whatever one server acknowledged, the next one answers. `/v1/agent/` and session/create
 * requests all go to the first server: they are about one agent (its services, its checks, the
 * node a session is on by default), as an application's requests go to its local agent.
 */
export async function roundRobin(targets: () => string[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const all = targets();
    const local = /^\/v1\/(agent\/|session\/create)/.test(req.url ?? '');
    const target = new URL(local ? all[0]! : all[next++ % all.length]!);
    // Hop-by-hop headers stay on their hop: the front keeps its own connections upstream.
    const headers = { ...req.headers };
    delete headers.connection;
    delete headers['keep-alive'];
    const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (answer) => {
      const raw = answer.rawHeaders;
      const kept: string[] = [];
      for (let i = 0; i < raw.length; i += 2) if (!/^(connection|keep-alive)$/i.test(raw[i]!)) kept.push(raw[i]!, raw[i + 1]!);
      // A server that closes its connection after this answer, or answers before it read the
      // whole body (a refused body): the front closes the client's connection after it too.
      if (answer.headers.connection === 'close' || !req.complete) kept.push('Connection', 'close');
      res.writeHead(answer.statusCode ?? 502, kept);
      answer.pipe(res);
    });
    up.on('error', (err) => {
      // After a whole answer (the server dropped the rest of a refused body), nothing to do; once
      // an answer began, the client sees the connection cut, as it would from the server.
      if (res.writableEnded) return;
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { 'Content-Type': 'text/plain', Connection: 'close' });
      res.end(`round-robin front: ${err.message}`);
    });
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A snapshot archive of an unrelated `-dev` agent (after `prepare` ran against its URL): none of
 * a cluster's own nodes are in it, so restoring it shows what a restore drops and puts back.
 */
export async function foreignSnapshot(prepare: (url: string) => Promise<void> = async () => undefined): Promise<Buffer> {
  const other = await startAgent(['-dev']);
  try {
    await prepare(other.url);
    const res = await fetch(`${other.url}/v1/snapshot`);
    if (res.status !== 200) throw new Error(`GET /v1/snapshot on the -dev agent answered ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  } finally {
    await other.stop();
  }
}
