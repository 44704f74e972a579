// Starting and stopping the three targets. Each start* returns
// {name, base, version, proc, stop()} or throws an Error whose message says why.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request, waitForLeader } from './http.js';
import { progress, sleep } from './log.js';
import { freePorts } from './ports.js';
import { startProcess } from './procs.js';
import { openFilesLimit } from './watchers.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PRAETOR_BIN = path.join(ROOT, 'packages/registry-server/bin/praetor.js');
const CONSUL_FETCH = path.resolve(ROOT, '../shared/tools/reference-consul');
const CONSUL_CACHE = path.join(ROOT, '.tmp/consul'); // gitignored (/.tmp/)
const LIMITS = { http_max_conns_per_client: 20000 };

const tmpDirs = new Set();
export function makeTmpDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.add(dir);
  return dir;
}
export function removeTmpDirs() {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  tmpDirs.clear();
}

function wrap(name, base, version, proc, dir) {
  return {
    name,
    base,
    version,
    proc,
    async stop() {
      await proc.stop();
      if (dir) { fs.rmSync(dir, { recursive: true, force: true }); tmpDirs.delete(dir); }
    },
  };
}

export async function startBare(body) {
  const [port] = await freePorts(1);
  const proc = startProcess('bare', process.execPath, [path.join(ROOT, 'bench/bare-server.js')], {
    env: { ...process.env, BARE_PORT: String(port), BARE_BODY: body },
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitInfo) throw new Error(`bare server exited: ${proc.logTail()}`);
    try {
      if ((await request(base, 'GET', '/', undefined, { timeoutMs: 1000 })).status === 200) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) { await proc.stop(); throw new Error('bare server did not answer within 10 s'); }
    await sleep(100);
  }
  return wrap('bare', base, `node ${process.version} node:http`, proc);
}

/** The reference binary, fetched once into .tmp/consul; throws with the script's output. */
export function consulBinary() {
  const cached = path.join(CONSUL_CACHE, 'consul');
  if (fs.existsSync(cached)) return cached;
  if (!fs.existsSync(CONSUL_FETCH)) throw new Error(`no ${CONSUL_FETCH} to fetch the reference Consul`);
  progress('fetching the reference Consul 1.8.7 (once; cached in .tmp/consul)…');
  const r = spawnSync('bash', [CONSUL_FETCH, CONSUL_CACHE], { encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0 || !fs.existsSync(cached)) {
    throw new Error(`reference-consul failed (exit ${r.status}): ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ')}`);
  }
  return cached;
}

export async function startConsul() {
  const bin = consulBinary();
  const version = spawnSync(bin, ['version'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
  const dir = makeTmpDir('bench-consul-');
  const [http, serfLan, serfWan, server, dns] = await freePorts(5);
  const cfg = path.join(dir, 'bench.json');
  // Consul refuses to start unless `ulimit -n` ≥ http_max_conns_per_client + 20, and a child
  // cannot be given more than this process has; so under a 20000 limit it gets 19980, still
  // far above the bench's ~10k connections.
  const fdLimit = openFilesLimit();
  const limits = { ...LIMITS };
  let note = null;
  if (Number.isFinite(fdLimit) && fdLimit - 20 < limits.http_max_conns_per_client) {
    limits.http_max_conns_per_client = Math.max(fdLimit - 20, 1);
    note = `consul: ulimit -n is ${fdLimit}, so limits.http_max_conns_per_client is ${limits.http_max_conns_per_client} (Consul needs limit+20 fds)`;
    progress(`NOTE: ${note}`);
  }
  fs.writeFileSync(cfg, JSON.stringify({
    ports: { http, dns, grpc: -1, serf_lan: serfLan, serf_wan: serfWan, server },
    limits,
    log_level: 'warn',
    disable_update_check: true,
  }));
  const dataDir = path.join(dir, 'data');
  const proc = startProcess('consul', bin, [
    'agent', '-server', '-bootstrap', '-data-dir', dataDir, '-node', 'bench-consul',
    '-bind', '127.0.0.1', '-client', '127.0.0.1', '-config-file', cfg,
  ]);
  const base = `http://127.0.0.1:${http}`;
  try {
    await waitForLeader(base, proc, 60_000);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { ...wrap('consul', base, version, proc, dir), note, dnsPort: dns };
}

/** Throws unless `praetor agent -h` runs (the package may be mid-rewrite or unbuilt). */
export function checkPraetorRuns() {
  const r = spawnSync(process.execPath, [PRAETOR_BIN, 'agent', '-h'], { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) {
    const why = (r.stderr || r.stdout || r.error?.message || '').trim().split('\n').slice(-3).join(' | ');
    throw new Error(`\`praetor agent -h\` failed (exit ${r.status}): ${why}`);
  }
}

/** `keepDir`: start on that directory's data dir (a restart), left in place by stop(). */
export async function startPraetor({ keepDir } = {}) {
  checkPraetorRuns();
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages/registry-server/package.json'), 'utf8'));
  const dir = keepDir ?? makeTmpDir('bench-praetor-');
  const [http, server, dns] = await freePorts(3);
  const cfg = path.join(dir, 'bench.json');
  fs.writeFileSync(cfg, JSON.stringify({ limits: LIMITS }));
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  // Durable mode (not -dev): the embedded log fsyncs every acknowledged write.
  // -dns-port: a free port, so the DNS listener never collides with another agent (bench/lib/dns-bench.js).
  const proc = startProcess('praetor', process.execPath, [
    PRAETOR_BIN, 'agent', '-server', '-bootstrap', '-data-dir', dataDir, '-node', 'bench',
    '-http-port', String(http), '-dns-port', String(dns), '-client', '127.0.0.1', '-bind', '127.0.0.1',
    '-server-port', String(server), '-log-level', 'warn', '-config-file', cfg,
  ]);
  const base = `http://127.0.0.1:${http}`;
  try {
    await waitForLeader(base, proc, 30_000);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { ...wrap('praetor', base, `praetor ${pkg.version}`, proc, keepDir ? null : dir), dir, dataDir, dnsPort: dns };
}
