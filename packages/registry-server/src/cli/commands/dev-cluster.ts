import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { etcdAvailable, startEtcdCluster } from '../../dev-cluster/etcd-cluster.js';
import { command, CliError, expectNoArgs } from '../command.js';

/** bin/praetor.js, from dist/src/cli/commands/. */
const PRAETOR_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../bin/praetor.js');

export const devClusterCommand = command({
  name: 'dev-cluster',
  synopsis: 'Runs a local high-availability cluster to try: etcd members and Praetor servers',
  usage: '[options]',
  description: `
Starts a three-member etcd cluster (Debian's etcd-server: the etcd binary on PATH) on free
loopback ports and three Praetor servers on it (-store etcd), with HTTP APIs on
127.0.0.1:8500, :8501 and :8502 (see -http-port) and DNS on :8600, :8601 and :8602, then runs until Ctrl-C, which stops them
all and removes their data (unless -data-dir keeps it). Kill a server or an etcd member to
watch the others carry on.

  $ praetor dev-cluster
  $ praetor kv put -http-addr=127.0.0.1:8501 greeting hello
  $ praetor kv get -http-addr=127.0.0.1:8502 greeting`,
  flags: {
    servers: { type: 'uint', default: 3, usage: 'Praetor servers to start.' },
    'etcd-members': { type: 'uint', default: 3, usage: 'etcd members to start.' },
    'http-port': { type: 'uint', default: 8500, usage: 'HTTP port of the first server; the others take the next ones.' },
    'data-dir': { type: 'string', arg: 'path', usage: 'Keep the data here (kept after Ctrl-C) instead of a temporary directory.' },
  },
  async run({ flags, args, io }) {
    expectNoArgs(args);
    if (!etcdAvailable()) throw new CliError('etcd is not on PATH: install it (Debian: apt-get install etcd-server), then run this again');
    const keep = flags['data-dir'] !== undefined;
    const root = flags['data-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'praetor-dev-cluster-'));
    fs.mkdirSync(root, { recursive: true });
    const say = (line: string) => io.stdout.write(`==> ${line}\n`);
    say(`starting ${flags['etcd-members']} etcd members (data in ${root})`);
    const etcd = await startEtcdCluster({ size: flags['etcd-members'], dataDir: path.join(root, 'etcd') });
    const servers: ChildProcess[] = [];
    const stopAll = async () => {
      await Promise.all(
        servers.map(
          (p) =>
            new Promise<void>((resolve) => {
              if (p.exitCode !== null || p.signalCode !== null) return resolve();
              p.once('exit', () => resolve());
              p.kill('SIGTERM');
            }),
        ),
      );
      await etcd.stop();
      if (!keep) fs.rmSync(root, { recursive: true, force: true });
    };
    try {
      await etcd.healthy(60_000);
      say(`etcd is up: ${etcd.endpoints}`);
      for (let i = 0; i < flags.servers; i++) {
        const name = `server${i + 1}`;
        const http = flags['http-port'] + i;
        const argv = ['agent', '-server', `-node=${name}`, `-data-dir=${path.join(root, name)}`, `-http-port=${http}`, `-dns-port=${8600 + i}`, `-server-port=${8300 + i}`, '-store', 'etcd', `-etcd-endpoints=${etcd.endpoints}`];
        const proc = spawn(process.execPath, [PRAETOR_BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
        for (const stream of [proc.stdout!, proc.stderr!]) {
          stream.on('data', (d: Buffer) => {
            for (const line of d.toString().split('\n')) if (line.trim()) io.stdout.write(`[${name}] ${line}\n`);
          });
        }
        servers.push(proc);
      }
      for (let i = 0; i < flags.servers; i++) {
        const url = `http://127.0.0.1:${flags['http-port'] + i}`;
        await waitForLeader(url, servers[i]!);
        say(`server${i + 1} is up: ${url}`);
      }
      say('running; Ctrl-C stops every server and etcd member');
      const exit = await new Promise<number>((resolve) => {
        process.once('SIGINT', () => resolve(0));
        process.once('SIGTERM', () => resolve(0));
        for (const p of servers) p.once('exit', (code) => code !== 0 && code !== null && resolve(1));
      });
      say('stopping');
      await stopAll();
      return exit;
    } catch (err) {
      await stopAll();
      throw err;
    }
  },
});

/** Waits (bounded) until the server at `url` answers with a known leader. */
async function waitForLeader(url: string, proc: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new CliError(`the server at ${url} exited (${proc.exitCode}) while starting; see its log lines above`);
    const leader = await fetch(`${url}/v1/status/leader`, { signal: AbortSignal.timeout(2000) })
      .then((r) => (r.ok ? r.json() : ''))
      .catch(() => '');
    if (leader) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new CliError(`the server at ${url} did not come up within 60 s; see its log lines above`);
}
