import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import winston from 'winston';
import { AxiosClient, ConsulInstancer, consoleLogger, freePort, pinoLogger, within, type ConsoleLike, type Logger } from '../../src/index.js';

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A dead registry: the Instancer logs 'discovery failed; retrying' with its fields. */
async function failingInstancer(logger: Logger | undefined): Promise<ConsulInstancer> {
  return new ConsulInstancer(new AxiosClient({ addresses: [`127.0.0.1:${await freePort()}`] }), logger, { service: 'billing', backoff: { initialMs: 20, maxMs: 50 } });
}

/** Issue 12, item 7: loggers other than winston, a winston default, types without devDependencies. */
describe('issue 12: the Logger the SDK takes', function () {
  this.timeout(20000);

  it('a winston Logger fits as it is', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({ objectMode: true, write: (info, _e, done) => (lines.push(info), done()) });
    const inst = await failingInstancer(winston.createLogger({ transports: [new winston.transports.Stream({ stream: sink })] }));
    try {
      await within(5000, () => lines.some((l) => l.message === 'discovery failed; retrying'));
      expect(lines.find((l) => l.message === 'discovery failed; retrying')).to.include({ level: 'warn', component: 'instancer', service: 'billing' });
    } finally {
      await inst.stop();
    }
  });

  it('console fits through consoleLogger(): message, then the fields as JSON', async () => {
    const lines: string[] = [];
    const target: ConsoleLike = {
      debug: (...a) => lines.push(`debug ${a.join(' ')}`),
      info: (...a) => lines.push(`info ${a.join(' ')}`),
      warn: (...a) => lines.push(`warn ${a.join(' ')}`),
      error: (...a) => lines.push(`error ${a.join(' ')}`),
    };
    const inst = await failingInstancer(consoleLogger(target));
    try {
      await within(5000, () => lines.some((l) => l.startsWith('warn discovery failed; retrying')));
      const line = lines.find((l) => l.startsWith('warn discovery failed; retrying'))!;
      expect(JSON.parse(line.slice('warn discovery failed; retrying '.length))).to.include({ component: 'instancer', service: 'billing' });
      expect(lines.filter((l) => l.startsWith('debug')), 'below the level: dropped').to.deep.equal([]);
    } finally {
      await inst.stop();
    }
  });

  it('pino fits through pinoLogger(): fields first, message second, child fields kept', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(chunk.toString())), done()) });
    const inst = await failingInstancer(pinoLogger(pino({ level: 'debug' }, sink)));
    try {
      await within(5000, () => lines.some((l) => l.msg === 'discovery failed; retrying'));
      expect(lines.find((l) => l.msg === 'discovery failed; retrying')).to.include({ level: 40, component: 'instancer', service: 'billing' });
    } finally {
      await inst.stop();
    }
  });

  it('without a logger, a class logs through a default winston logger (JSON lines on the console)', async () => {
    const script = `
      const { AxiosClient, ConsulInstancer } = await import('@praetor/sdk');
      const inst = new ConsulInstancer(new AxiosClient({ addresses: ['127.0.0.1:1'] }), undefined, { service: 'billing', backoff: { initialMs: 20, maxMs: 20 } });
      setTimeout(() => inst.stop(), 300);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: pkgDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    expect(await new Promise((r) => child.once('exit', r)), out).to.equal(0);
    const first = JSON.parse(out.split('\n').find((l) => l.includes('discovery failed'))!);
    expect(first).to.include({ level: 'warn', message: 'discovery failed; retrying', component: 'instancer' });
    expect(first.timestamp).to.be.a('string');
  });

  it('the published types import neither opossum nor winston (no devDependency needed to use them)', () => {
    const leaks: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const f = path.join(dir, e.name);
        if (e.isDirectory()) walk(f);
        else if (f.endsWith('.d.ts') && !f.endsWith('.test.d.ts') && /from ['"](opossum|winston)['"]|import\(['"](opossum|winston)['"]\)/.test(fs.readFileSync(f, 'utf8'))) leaks.push(path.relative(pkgDir, f));
      }
    };
    walk(path.join(pkgDir, 'dist', 'src'));
    expect(leaks).to.deep.equal([]);
  });
});
