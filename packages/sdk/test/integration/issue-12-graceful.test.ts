import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { startTestAgent, within, type TestAgent } from '../../src/index.js';

const index = new URL('../../src/index.js', import.meta.url).href;

/** A child process running `body` (an ES module) with the SDK as `sdk`; its output collected. */
function child(body: string, env: NodeJS.ProcessEnv): { proc: ChildProcess; out: () => string; exit: Promise<{ code: number | null; signal: string | null }> } {
  const script = `import winston from 'winston';\nconst sdk = await import(${JSON.stringify(index)});\nconst log = winston.createLogger({ transports: [new winston.transports.Console()] });\n${body}`;
  const proc = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return { proc, out: () => out, exit };
}

/** Issue 12, item 2: gracefulShutdown without a drain does not cut requests in flight. */
describe('issue 12: graceful shutdown waits for the HTTP requests in flight', function () {
  this.timeout(30000);
  let agent: TestAgent;
  before(async () => (agent = await startTestAgent()));
  after(() => agent?.stop());

  it('gracefulShutdown: true (no drain): SIGTERM mid-request, the request still gets its whole answer, then exit 0', async () => {
    const c = child(
      `import('node:http').then(async ({ default: http }) => {
        const server = http.createServer((req, res) => { console.log('request started'); setTimeout(() => res.end('slow answer'), 1500); });
        await new Promise((r) => server.listen(0, '127.0.0.1', r));
        const reg = new sdk.ConsulRegistrar(new sdk.AxiosClient(), { Name: 'slow', Port: server.address().port }, log, { gracefulShutdown: { propagationMs: 50 } });
        await reg.register();
        console.log('port ' + server.address().port);
      });`,
      { PRAETOR_HTTP_ADDR: agent.url },
    );
    try {
      const port = await within(10000, () => /port (\d+)/.exec(c.out())?.[1], 'the child listening');
      const answer = fetch(`http://127.0.0.1:${port}/`).then(async (r) => `${r.status} ${await r.text()}`, (e: Error) => `failed: ${e.message}`);
      await within(5000, () => c.out().includes('request started'), 'the request in flight');
      c.proc.kill('SIGTERM');
      expect(await answer).to.equal('200 slow answer');
      expect(await c.exit, c.out()).to.deep.equal({ code: 0, signal: null });
      expect(c.out()).to.contain('waiting for the HTTP requests in flight');
    } finally {
      c.proc.kill('SIGKILL');
    }
  });
});
