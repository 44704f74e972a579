import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { freePort, http, PRAETOR_BIN, within } from './harness.js';

describe('praetor dev-cluster (npm run cluster)', function () {
  this.timeout(120_000);

  it('starts etcd and three servers that share one state, and stops them all on Ctrl-C', async () => {
    // Three consecutive free ports for the three HTTP APIs.
    let base = 0;
    for (let tries = 0; tries < 20 && !base; tries++) {
      const p = await freePort();
      const next = await Promise.all([p + 1, p + 2].map((q) => freePortAt(q)));
      if (next.every(Boolean)) base = p;
    }
    expect(base).to.be.greaterThan(0);
    const proc = spawn(process.execPath, [PRAETOR_BIN, 'dev-cluster', `-http-port=${base}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    try {
      await within(90_000, () => out.includes('==> running'), 200);
      const dataDir = /data in (\S+)\)/.exec(out)![1]!;
      expect((await http(`http://127.0.0.1:${base}/v1/kv/tried`, { method: 'PUT', body: 'yes' })).text).to.equal('true');
      expect((await http(`http://127.0.0.1:${base + 2}/v1/kv/tried?raw`)).text).to.equal('yes');
      expect((await http(`http://127.0.0.1:${base + 1}/v1/status/peers`)).json()).to.have.length(3);
      proc.kill('SIGINT');
      expect(await exited).to.equal(0);
      expect(fs.existsSync(dataDir), 'the data is removed').to.equal(false);
      for (const port of [base, base + 1, base + 2]) {
        const answer = await fetch(`http://127.0.0.1:${port}/v1/status/leader`).then(() => 'answered', () => 'refused');
        expect(answer, `server on ${port} stopped`).to.equal('refused');
      }
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
  });
});

/** Whether `port` can be bound on 127.0.0.1 now. */
async function freePortAt(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
