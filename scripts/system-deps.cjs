#!/usr/bin/env node
// Installs the Debian packages the tests drive for real (etcd, dig, Chromium) when a binary is
// missing: `apt-get update` once, then one `apt-get install` for everything missing. Run by
// `npm test` before mocha; prints what it does, and says what to do when it cannot.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');

/** binary on PATH (or absolute path) → the Debian package that provides it */
const NEEDED = [
  { bin: 'etcd', pkg: 'etcd-server', why: 'the etcd-backed cluster tests' },
  { bin: 'dig', pkg: 'bind9-dnsutils', why: 'the DNS tests' },
  { bin: '/usr/bin/chromium', pkg: 'chromium', why: 'the web UI tests' },
];

function has(bin) {
  if (bin.startsWith('/')) return spawnSync('test', ['-x', bin]).status === 0;
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

const missing = NEEDED.filter((n) => !has(n.bin));
if (missing.length === 0) process.exit(0);
const pkgs = missing.map((m) => m.pkg);
for (const m of missing) console.log(`system-deps: ${m.bin} is missing (needed by ${m.why}); installing Debian package ${m.pkg}`);
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (!root || !has('apt-get')) {
  console.error(`system-deps: cannot install ${pkgs.join(' ')} here (needs root and apt-get). Install them, then run npm test again.`);
  process.exit(1);
}
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  console.log('system-deps: apt-get update');
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'pipe', 'pipe'], env, maxBuffer: 64 << 20 });
  console.log(`system-deps: apt-get install ${pkgs.join(' ')}`);
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: ['ignore', 'pipe', 'pipe'], env, maxBuffer: 64 << 20 });
} catch (err) {
  const out = `${err.stdout ?? ''}${err.stderr ?? ''}`.split('\n').slice(-30).join('\n');
  console.error(`${out}\nsystem-deps: installing ${pkgs.join(' ')} failed (${err.message.split('\n')[0]}). Install them by hand, then run npm test again.`);
  process.exit(1);
}
// Debian starts an etcd service on install; the tests start their own members on free ports.
if (pkgs.includes('etcd-server')) spawnSync('sh', ['-c', 'service etcd stop || pkill -x etcd'], { stdio: 'ignore' });
const still = missing.filter((m) => !has(m.bin));
if (still.length > 0) {
  console.error(`system-deps: still missing after install: ${still.map((m) => m.bin).join(', ')}`);
  process.exit(1);
}
