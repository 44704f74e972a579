import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const url = (file: string) => pathToFileURL(path.join(here, file)).href;

/** Runs a real Node process that installs the guards with the agent's logger, then does `fault`. */
function runWithGuards(fault: string): { status: number | null; stderr: string } {
  const script = `
    import { createLogger } from ${JSON.stringify(url('log.js'))};
    import { installProcessGuards } from ${JSON.stringify(url('process-guards.js'))};
    installProcessGuards(createLogger('info'));
    setTimeout(() => process.exit(7), 10000);
    ${fault}
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000 });
  return { status: r.status, stderr: r.stderr };
}

describe('process guards', function () {
  this.timeout(30000);

  it('log an unhandled rejection at error level with its stack, then exit 1', () => {
    const r = runWithGuards(`Promise.reject(new Error('boom in a promise'));`);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/\[ERROR\] agent: unhandled promise rejection; the agent exits .*error=Error: boom in a promise/);
  });

  it('log an uncaught exception at error level with its stack, then exit 1', () => {
    const r = runWithGuards(`setTimeout(() => { throw new TypeError('boom in a timer'); }, 10);`);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/\[ERROR\] agent: uncaught exception; the agent exits .*error=TypeError: boom in a timer/);
  });
});
