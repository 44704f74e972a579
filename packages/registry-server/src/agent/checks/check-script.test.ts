import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckDefinition } from '../../structs/check.js';
import { createScriptRunner } from './check-script.js';
import { Runners, alive, recorder, silentLogger, within } from './test-support.js';

const sh = (script: string): string[] => ['/bin/sh', '-c', script];

describe('check-script', () => {
  const runners = new Runners();
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'praetor-check-script-'));
  });
  afterEach(() => {
    runners.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  async function firstResult(def: CheckDefinition) {
    const rec = recorder();
    runners.add(createScriptRunner({ Interval: '2s', ...def }, rec.report, silentLogger())).start();
    await within(10_000, () => rec.results.length > 0, 'a report');
    runners.stopAll();
    return { status: rec.results[0].status, output: rec.results[0].output };
  }

  const pidIn = (file: string) => Number(readFileSync(file, 'utf8').trim());

  it('exit 0 is passing, with stdout and stderr', async () => {
    expect(await firstResult({ ScriptArgs: sh('echo out; echo err >&2') })).to.deep.equal({ status: 'passing', output: 'out\nerr\n' });
  });

  it('exit 1 is warning', async () => {
    expect(await firstResult({ ScriptArgs: sh('echo careful; exit 1') })).to.deep.equal({ status: 'warning', output: 'careful\n' });
  });

  it('any other exit is critical', async () => {
    expect(await firstResult({ ScriptArgs: sh('exit 2') })).to.deep.equal({ status: 'critical', output: '' });
  });

  it('passes arguments without a shell', async () => {
    expect(await firstResult({ ScriptArgs: ['/bin/echo', '$HOME', 'a b'] })).to.deep.equal({ status: 'passing', output: '$HOME a b\n' });
  });

  it('a missing command is critical', async () => {
    const r = await firstResult({ ScriptArgs: [join(dir, 'no-such-command')] });
    expect(r.status).to.equal('critical');
    expect(r.output).to.match(/ENOENT/);
  });

  it('keeps the tail of long output, as Consul', async () => {
    const r = await firstResult({ ScriptArgs: sh('i=0; while [ $i -lt 300 ]; do echo "line $i"; i=$((i+1)); done'), OutputMaxSize: 100 });
    expect(r.status).to.equal('passing');
    expect(Buffer.byteLength(r.output)).to.be.at.most(100);
    expect(r.output).to.match(/^Captured \d+ of 2590 bytes\n\.\.\.\n/);
    expect(r.output.endsWith('line 298\nline 299\n')).to.equal(true);
  });

  it('kills the whole process group on timeout and reports it critical', async () => {
    const pidFile = join(dir, 'pid');
    const rec = recorder();
    const def = { ScriptArgs: sh(`echo started; sleep 60 & echo $! > ${pidFile}; wait`), Interval: '5s', Timeout: '2s' };
    runners.add(createScriptRunner(def, rec.report, silentLogger())).start();
    await within(10_000, () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 'the pid file');
    const pid = pidIn(pidFile);
    await within(15_000, () => rec.results.length > 0, 'a report');
    expect(rec.results[0]).to.include({ status: 'critical', output: 'Timed out (2s) running check\n\nstarted\n' });
    await within(5000, () => !alive(pid), 'the grandchild to die');
  });

  it('stop() kills a running script and its children', async () => {
    const pidFile = join(dir, 'pid');
    const rec = recorder();
    const runner = runners.add(createScriptRunner({ ScriptArgs: sh(`sleep 60 & echo $! > ${pidFile}; wait`), Interval: '10s' }, rec.report, silentLogger()));
    runner.start();
    await within(10_000, () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 'the pid file');
    const pid = pidIn(pidFile);
    runner.stop();
    runner.stop();
    await within(5000, () => !alive(pid), 'the script to die');
    expect(rec.results).to.deep.equal([]);
  });
});
