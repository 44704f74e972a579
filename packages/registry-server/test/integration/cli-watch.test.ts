import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, http, PRAETOR_BIN, runPraetor, startAgent, tempDir, within, type AgentProcess } from './harness.js';

interface Watcher {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | string>;
}

/** `praetor watch` as a real process with a handler script, against a real agent. */
describe('praetor watch', function () {
  this.timeout(60000);
  let agent: AgentProcess | undefined;
  let dir: string;
  let watchers: Watcher[] = [];

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    for (const w of watchers) {
      if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
      await w.exited;
    }
    watchers = [];
    await agent?.stop();
    agent = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A handler that appends `CONSUL_INDEX <its stdin>` as one line to a file. */
  function handlerScript(): { script: string; calls: () => Array<{ index: number; data: unknown }> } {
    const out = path.join(dir, 'calls.log');
    const script = path.join(dir, 'handler.sh');
    fs.writeFileSync(script, `#!/bin/sh\nprintf '%s ' "$CONSUL_INDEX" >> '${out}'\ncat >> '${out}'\n`, { mode: 0o755 });
    const calls = () =>
      (fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const sp = line.indexOf(' ');
          return { index: Number(line.slice(0, sp)), data: JSON.parse(line.slice(sp + 1)) as unknown };
        });
    return { script, calls };
  }

  function watch(args: string[], url: string): Watcher {
    const proc = spawn(process.execPath, [PRAETOR_BIN, 'watch', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CONSUL_HTTP_ADDR: url, PRAETOR_HTTP_ADDR: undefined },
    });
    let out = '';
    let err = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (err += d));
    const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, sig) => resolve(code ?? sig ?? -1)));
    const w = { proc, stdout: () => out, stderr: () => err, exited };
    watchers.push(w);
    return w;
  }

  const put = (key: string, value: string) => http(`${agent!.url}/v1/kv/${key}`, { method: 'PUT', body: value });
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('runs the handler once per change of a key, with the data on stdin and CONSUL_INDEX', async () => {
    agent = await startAgent(['-dev', '-log-level=warn']);
    const { script, calls } = handlerScript();
    const w = watch(['-type=key', '-key=app/config', script], agent.url);
    await within(20000, () => calls().length === 1);
    expect(calls()[0]!.data).to.equal(null);

    await put('app/config', 'v1');
    await within(20000, () => calls().length === 2);
    // Writes that change nothing the watch sees: the same value again, and another key.
    await put('app/config', 'v1');
    await put('app/other', 'x');
    await put('app/config', 'v2');
    await within(20000, () => calls().length >= 3);
    await http(`${agent.url}/v1/kv/app/config`, { method: 'DELETE' });
    await within(20000, () => calls().length >= 4);

    const seen = calls();
    expect(seen.map((c) => (c.data as { Value?: string } | null)?.Value ?? null)).to.deep.equal([null, b64('v1'), b64('v2'), null]);
    const v2 = seen[2]!.data as Record<string, unknown>;
    expect(Object.keys(v2)).to.deep.equal(['Key', 'CreateIndex', 'ModifyIndex', 'LockIndex', 'Flags', 'Value', 'Session']);
    expect(v2.Session).to.equal('');
    expect(seen[2]!.index).to.equal(v2.ModifyIndex);
    expect(seen[1]!.index).to.be.lessThan(seen[2]!.index);
    expect(w.stderr()).to.equal('');

    w.proc.kill('SIGTERM');
    expect(await w.exited).to.equal(0);
  });

  it('does not run the handler again when the index moves but the data stays the same', async () => {
    agent = await startAgent(['-dev', '-log-level=warn']);
    const { script, calls } = handlerScript();
    const register = (body: object) => http(`${agent!.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify(body) });
    const w = watch(['-type=services', script], agent.url);
    await within(20000, () => calls().length === 1);
    await register({ Name: 'web', Port: 80, Tags: ['a'] });
    await within(20000, () => calls().length === 2);
    // A new port moves the services index, but /v1/catalog/services (names and tags) is the same.
    const before = Number((await http(`${agent.url}/v1/catalog/services`)).headers.get('x-consul-index'));
    await register({ Name: 'web', Port: 81, Tags: ['a'] });
    expect(Number((await http(`${agent.url}/v1/catalog/services`)).headers.get('x-consul-index'))).to.be.greaterThan(before);
    await register({ Name: 'api', Port: 82 });
    await within(20000, () => calls().length >= 3);
    expect(calls().map((c) => c.data)).to.deep.equal([{ consul: [] }, { consul: [], web: ['a'] }, { api: [], consul: [], web: ['a'] }]);
    w.proc.kill('SIGINT');
    expect(await w.exited).to.equal(0);
  });

  it('watches a service with tags and -passingonly, and a key prefix', async () => {
    agent = await startAgent(['-dev', '-log-level=warn']);
    const register = (body: object) => http(`${agent!.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify(body) });
    await register({ ID: 'web1', Name: 'web', Port: 80, Tags: ['v1'] });
    await register({ ID: 'web2', Name: 'web', Port: 81, Tags: ['v1'], Check: { TTL: '60s' } });
    await register({ ID: 'web3', Name: 'web', Port: 82, Tags: ['v2'] });
    const res = await runPraetor(['watch', '-type=service', '-service=web', '-tag=v1', '-passingonly=true'], { env: { CONSUL_HTTP_ADDR: agent.url } });
    expect(res.code).to.equal(0);
    expect((JSON.parse(res.stdout) as Array<{ Service: { ID: string } }>).map((e) => e.Service.ID)).to.deep.equal(['web1']);
    await put('pre/a', '1');
    await put('pre/b', '2');
    const prefix = await runPraetor(['watch', '-type=keyprefix', '-prefix=pre/'], { env: { CONSUL_HTTP_ADDR: agent.url } });
    expect((JSON.parse(prefix.stdout) as Array<{ Key: string }>).map((e) => e.Key)).to.deep.equal(['pre/a', 'pre/b']);
  });

  it('without a handler prints the current data as indented JSON and exits 0', async () => {
    agent = await startAgent(['-dev', '-log-level=warn']);
    await put('print/me', 'hi');
    const entry = ((await http(`${agent.url}/v1/kv/print/me`)).json() as Array<{ CreateIndex: number }>)[0]!;
    const res = await runPraetor(['watch', '-type=key', '-key=print/me'], { env: { CONSUL_HTTP_ADDR: agent.url } });
    expect(res).to.deep.equal({
      code: 0,
      stderr: '',
      stdout:
        '{\n    "Key": "print/me",\n' +
        `    "CreateIndex": ${entry.CreateIndex},\n    "ModifyIndex": ${entry.CreateIndex},\n` +
        `    "LockIndex": 0,\n    "Flags": 0,\n    "Value": "${b64('hi')}",\n    "Session": ""\n}\n`,
    });
    const missing = await runPraetor(['watch', '-type=keyprefix', '-prefix=none/'], { env: { CONSUL_HTTP_ADDR: agent.url } });
    expect(missing).to.deep.equal({ code: 0, stdout: 'null\n', stderr: '' });
    const nodes = await runPraetor(['watch', '-type=nodes'], { env: { CONSUL_HTTP_ADDR: agent.url } });
    expect((JSON.parse(nodes.stdout) as unknown[]).length).to.equal(1);
    const checks = await runPraetor(['watch', '-type=checks', '-state=passing'], { env: { CONSUL_HTTP_ADDR: agent.url } });
    expect((JSON.parse(checks.stdout) as Array<{ CheckID: string }>).map((c) => c.CheckID)).to.deep.equal(['serfHealth']);
  });

  it('hands an event watch only the events fired since its last call', async () => {
    agent = await startAgent(['-dev', '-log-level=warn']);
    const { script, calls } = handlerScript();
    const fire = (name: string, payload: string) => http(`${agent!.url}/v1/event/fire/${name}`, { method: 'PUT', body: payload });
    await fire('deploy', 'before');
    const w = watch(['-type=event', '-name=deploy', script], agent.url);
    await within(20000, () => calls().length === 1);
    await fire('deploy', 'one');
    await within(20000, () => calls().length === 2);
    await fire('other', 'not watched');
    await fire('deploy', 'two');
    await within(20000, () => calls().length >= 3);
    const payloads = calls().map((c) => (c.data as Array<{ Name: string; Payload: string }>).map((e) => `${e.Name}:${Buffer.from(e.Payload, 'base64').toString()}`));
    expect(payloads).to.deep.equal([['deploy:before'], ['deploy:one'], ['deploy:two']]);
    // The index handed over is the hash of the newest event's ID, beyond 2^53 as often as not.
    const newest = ((await http(`${agent.url}/v1/event/list?name=deploy`)).json() as Array<{ ID: string }>).at(-1)!;
    const hex = newest.ID.replace(/-/g, '');
    const lines = fs.readFileSync(path.join(dir, 'calls.log'), 'utf8').trim().split('\n');
    expect(lines.at(-1)!.split(' ')[0]).to.equal((BigInt(`0x${hex.slice(0, 16)}`) ^ BigInt(`0x${hex.slice(16)}`)).toString());
    w.proc.kill('SIGTERM');
    expect(await w.exited).to.equal(0);
  });

  it('stops with exit 1 when the handler fails', async () => {
    agent = await startAgent(['-dev', '-log-level=warn']);
    const w = watch(['-type=key', '-key=k', 'exit 3'], agent.url);
    expect(await w.exited).to.equal(1);
    expect(w.stderr()).to.equal('Error executing handler: exit status 3\n');
    const direct = watch(['-shell=false', '-type=key', '-key=k', path.join(dir, 'no-such-program')], agent.url);
    expect(await direct.exited).to.equal(1);
    expect(direct.stderr()).to.match(/^Error executing handler: spawn .*no-such-program ENOENT\n$/);
  });

  it('retries with backoff while the agent is away, saying so on stderr, and carries on when it is back', async () => {
    const port = await freePort();
    agent = await startAgent(['-dev', '-log-level=warn', `-http-port=${port}`]);
    await put('retry/k', 'before');
    const { script, calls } = handlerScript();
    const w = watch(['-type=key', '-key=retry/k', script], agent.url);
    await within(20000, () => calls().length === 1);
    await agent.stop();
    await within(20000, () => /\[ERROR\] watch: Watch errored: type=key error=".*" retry=5s\n/.test(w.stderr()));
    // A new -dev agent on the same port, where the key is written afresh at a higher index.
    agent = await startAgent(['-dev', '-log-level=warn', `-http-port=${port}`]);
    for (let i = 0; i < 3; i++) await put(`retry/filler${i}`, 'x');
    await put('retry/k', 'after');
    await within(30000, () => (calls().at(-1)?.data as { Value?: string } | null)?.Value === b64('after'));
    // (Had the retry come before the new write, the handler saw the key missing in between.)
    const values = calls().map((c) => (c.data as { Value: string } | null)?.Value ?? null);
    expect(values[0]).to.equal(b64('before'));
    expect(values.slice(1, -1).every((v) => v === null)).to.equal(true);
    w.proc.kill('SIGTERM');
    expect(await w.exited).to.equal(0);
  });

  it('answers misuse with Consul\'s message and exit 1', async () => {
    const env = { CONSUL_HTTP_ADDR: '127.0.0.1:1' };
    const cases: Array<[string[], string]> = [
      [['watch'], "Watch type must be specified\nRun 'praetor watch -h' for usage.\n"],
      [['watch', '-type=bogus'], 'Unsupported watch type: bogus\n'],
      [['watch', '-type=key'], 'Must specify a single key to watch\n'],
      [['watch', '-type=keyprefix'], 'Must specify a single prefix to watch\n'],
      [['watch', '-type=service'], 'Must specify a single service to watch\n'],
      [['watch', '-type=nodes', '-key=x'], 'Invalid parameters: [key]\n'],
      [['watch', '-type=key', '-key=x', '-prefix=y', '-tag=t'], 'Invalid parameters: [prefix tag]\n'],
      [['watch', '-type=checks', '-service=a', '-state=passing'], 'Cannot specify service and state\n'],
      [['watch', '-type=service', '-service=a', '-passingonly=yes'], 'Failed to parse passingonly flag: strconv.ParseBool: parsing "yes": invalid syntax\n'],
      [['watch', '-bogus'], "flag provided but not defined: -bogus\nRun 'praetor watch -h' for usage.\n"],
    ];
    for (const [args, stderr] of cases) expect(await runPraetor(args, { env }), args.join(' ')).to.deep.equal({ code: 1, stdout: '', stderr });
    const unreachable = await runPraetor(['watch', '-type=nodes'], { env });
    expect(unreachable.code).to.equal(1);
    expect(unreachable.stderr).to.match(/^Error querying Praetor agent: Get "http:\/\/127\.0\.0\.1:1\/v1\/agent\/self"/);
  });
});
