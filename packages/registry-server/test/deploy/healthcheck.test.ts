import { expect } from 'chai';
import { execFile, spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { freePort } from '@praetor/test-support';
import { DEPLOY } from './deploy-files.js';
import { startAgent, type AgentProcess } from '../integration/harness.js';

const SCRIPT = path.join(DEPLOY, 'healthcheck.mjs');
const env = (addr: string) => ({ ...process.env, PRAETOR_HTTP_ADDR: addr });
const check = (addr: string) => spawnSync(process.execPath, [SCRIPT], { env: env(addr), encoding: 'utf8', timeout: 30_000 });
/** As check(), without blocking this process (which serves the requests in the last test). */
const checkAsync = (addr: string) =>
  new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [SCRIPT], { env: env(addr), encoding: 'utf8', timeout: 30_000 }, (_err, _stdout, stderr) => resolve({ status: child.exitCode, stderr }));
  });

// deploy/healthcheck.mjs is the image's HEALTHCHECK and the Kubernetes readiness probe (issue 10).
describe('deploy/healthcheck.mjs against a real agent (issue 10)', function () {
  this.timeout(60_000);
  let agent: AgentProcess;
  before(async () => {
    agent = await startAgent(['-dev']);
  });
  after(async () => {
    await agent?.stop();
  });

  it('is healthy (exit 0) when the agent answers and knows its leader', () => {
    for (const addr of [`${agent.host}:${agent.port}`, agent.url]) {
      const r = check(addr);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/^leader \S+:8300\n$/);
    }
  });

  it('is unhealthy (exit 1, reason on stderr) when nothing answers', async () => {
    const r = check(`127.0.0.1:${await freePort()}`);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/praetor health check: .*ECONNREFUSED/);
  });

  it('is unhealthy when something else answers at the address', async () => {
    const other = http.createServer((_req, res) => res.writeHead(404).end('no such page'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const r = await checkAsync(`127.0.0.1:${(other.address() as AddressInfo).port}`);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.equal('praetor health check: GET /v1/status/leader answered 404: no such page\n');
    } finally {
      other.close();
    }
  });
});
