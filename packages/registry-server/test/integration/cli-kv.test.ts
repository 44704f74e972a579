import { startTarget, TARGETS } from './targets.js';
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { http, runPraetor, startAgent, tempDir, type AgentProcess, type RunOptions } from './harness.js';

interface Entry {
  Key: string;
  Flags: number;
  Value: string | null;
  CreateIndex: number;
  ModifyIndex: number;
}

/** `praetor kv ...` as real processes against a real agent: output, errors and exit codes as Consul's. */
for (const target of TARGETS) describe(`praetor kv [${target}]`, function () {
  this.timeout(30000);
  let agent: AgentProcess;
  let dir: string;

  before(async () => {
    agent = await startTarget(target, ['-dev', '-log-level=warn']);
  });
  after(async () => {
    await agent.stop();
  });
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const praetor = (args: string[], opts: RunOptions = {}) => runPraetor(args, { ...opts, env: { CONSUL_HTTP_ADDR: agent.url, PRAETOR_HTTP_ADDR: undefined, ...opts.env } });
  const entry = async (key: string): Promise<Entry | undefined> => {
    const res = await http(`${agent.url}/v1/kv/${key}`);
    return res.status === 200 ? (res.json() as Entry[])[0] : undefined;
  };
  const bytes = async (key: string) => Buffer.from((await entry(key))?.Value ?? '', 'base64');

  it('puts a value and gets it back; a missing key is an error', async () => {
    expect(await praetor(['kv', 'put', 'rt/plain', 'hello world'])).to.deep.equal({ code: 0, stdout: 'Success! Data written to: rt/plain\n', stderr: '' });
    expect(await praetor(['kv', 'get', 'rt/plain'])).to.deep.equal({ code: 0, stdout: 'hello world\n', stderr: '' });
    expect(await praetor(['kv', 'get', '/rt/plain'])).to.deep.equal({ code: 0, stdout: 'hello world\n', stderr: '' });
    expect(await praetor(['kv', 'get', 'rt/missing'])).to.deep.equal({ code: 1, stdout: '', stderr: 'Error! No key exists at: rt/missing\n' });
    // No value: an empty one.
    expect((await praetor(['kv', 'put', 'rt/empty'])).code).to.equal(0);
    expect(await praetor(['kv', 'get', 'rt/empty'])).to.deep.equal({ code: 0, stdout: '\n', stderr: '' });
    expect(await praetor(['kv', 'put', 'rt/odd key?#%', 'x'])).to.deep.equal({ code: 0, stdout: 'Success! Data written to: rt/odd key?#%\n', stderr: '' });
    expect((await praetor(['kv', 'get', 'rt/odd key?#%'])).stdout).to.equal('x\n');
  });

  it('writes binary values from -base64, @file and stdin, byte for byte', async () => {
    const data = Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 13, 0x80, 0x7f]);
    expect((await praetor(['kv', 'put', '-base64', 'bin/b64', data.toString('base64')])).code).to.equal(0);
    expect(await bytes('bin/b64')).to.deep.equal(data);
    const file = path.join(dir, 'value.bin');
    fs.writeFileSync(file, data);
    expect((await praetor(['kv', 'put', 'bin/file', `@${file}`])).stdout).to.equal('Success! Data written to: bin/file\n');
    expect(await bytes('bin/file')).to.deep.equal(data);
    expect((await praetor(['kv', 'put', 'bin/stdin', '-'], { input: data })).code).to.equal(0);
    expect(await bytes('bin/stdin')).to.deep.equal(data);
    expect(await praetor(['kv', 'get', '-base64', 'bin/stdin'])).to.deep.equal({ code: 0, stdout: `${data.toString('base64')}\n`, stderr: '' });
    expect((await praetor(['kv', 'get', '-recurse', '-base64', 'bin/'])).stdout).to.equal(
      ['bin/b64', 'bin/file', 'bin/stdin'].map((k) => `${k}:${data.toString('base64')}\n`).join(''),
    );
  });

  it('refuses bad input without writing anything', async () => {
    expect(await praetor(['kv', 'put', '-base64', 'bad/b64', 'not base64!'])).to.deep.equal({
      code: 1,
      stdout: '',
      stderr: 'Error! Cannot base 64 decode data: illegal base64 data at input byte 3\n',
    });
    expect(await entry('bad/b64')).to.equal(undefined);
    const missing = path.join(dir, 'nope');
    expect(await praetor(['kv', 'put', 'bad/file', `@${missing}`])).to.deep.equal({
      code: 1,
      stdout: '',
      stderr: `Error! Failed to read file: open ${missing}: no such file or directory\n`,
    });
    expect(await praetor(['kv', 'put', '/bad/lead', 'x'])).to.deep.equal({
      code: 1,
      stdout: '',
      stderr: "Error! Failed writing data: Invalid key. Key must not begin with a '/': /bad/lead\n",
    });
    const big = await praetor(['kv', 'put', 'bad/big', '-'], { input: Buffer.alloc(600 * 1024) });
    expect(big.code).to.equal(1);
    expect(big.stderr).to.match(/^Error! Failed writing data: Unexpected response code: 413 \(Request body\(614400 bytes\) too large/);
    expect((await http(`${agent.url}/v1/kv/bad/?keys`)).status).to.equal(404);
  });

  it('-detailed prints every field; -flags are stored', async () => {
    expect((await praetor(['kv', 'put', '-flags=42', 'det/a', 'A'])).code).to.equal(0);
    expect((await praetor(['kv', 'put', 'det/empty'])).code).to.equal(0);
    const a = (await entry('det/a'))!;
    const e = (await entry('det/empty'))!;
    const block = (x: Entry, flags: number, value: string) =>
      `CreateIndex      ${x.CreateIndex}\nFlags            ${flags}\nKey              ${x.Key}\nLockIndex        0\n` +
      `ModifyIndex      ${x.ModifyIndex}\nSession          -\n${value ? `Value            ${value}` : 'Value'}\n`;
    expect(await praetor(['kv', 'get', '-detailed', 'det/a'])).to.deep.equal({ code: 0, stdout: block(a, 42, 'A'), stderr: '' });
    expect((await praetor(['kv', 'get', '-detailed', '-base64', 'det/a'])).stdout).to.equal(block(a, 42, 'QQ=='));
    expect((await praetor(['kv', 'get', '-recurse', '-detailed', 'det/'])).stdout).to.equal(`${block(a, 42, 'A')}\n${block(e, 0, '')}`);
  });

  it('-cas writes and deletes only at the right ModifyIndex', async () => {
    await praetor(['kv', 'put', 'cas/k', 'v1']);
    const index = (await entry('cas/k'))!.ModifyIndex;
    expect(await praetor(['kv', 'put', '-cas', `-modify-index=${index + 100}`, 'cas/k', 'v2'])).to.deep.equal({
      code: 1,
      stdout: '',
      stderr: 'Error! Did not write to cas/k: CAS failed\n',
    });
    expect((await bytes('cas/k')).toString()).to.equal('v1');
    expect(await praetor(['kv', 'put', '-cas', `-modify-index=${index}`, 'cas/k', 'v2'])).to.deep.equal({ code: 0, stdout: 'Success! Data written to: cas/k\n', stderr: '' });
    expect((await bytes('cas/k')).toString()).to.equal('v2');
    const now = (await entry('cas/k'))!.ModifyIndex;
    expect(await praetor(['kv', 'delete', '-cas', `-modify-index=${index}`, 'cas/k'])).to.deep.equal({
      code: 1,
      stdout: '',
      stderr: 'Error! Did not delete key cas/k: CAS failed\n',
    });
    expect(await entry('cas/k')).to.not.equal(undefined);
    expect(await praetor(['kv', 'delete', '-cas', `-modify-index=${now}`, 'cas/k'])).to.deep.equal({ code: 0, stdout: 'Success! Deleted key: cas/k\n', stderr: '' });
    expect(await entry('cas/k')).to.equal(undefined);
  });

  it('-keys lists names cut at -separator; -recurse lists entries; an empty prefix prints nothing', async () => {
    for (const k of ['tree/a/1', 'tree/a/2', 'tree/b', 'tree/c/d/e']) await praetor(['kv', 'put', k, k.toUpperCase()]);
    expect(await praetor(['kv', 'get', '-keys', 'tree/'])).to.deep.equal({ code: 0, stdout: 'tree/a/\ntree/b\ntree/c/\n', stderr: '' });
    expect((await praetor(['kv', 'get', '-keys', '-separator=', 'tree/'])).stdout).to.equal('tree/a/1\ntree/a/2\ntree/b\ntree/c/d/e\n');
    expect((await praetor(['kv', 'get', '-keys', '-separator=d', 'tree/c'])).stdout).to.equal('tree/c/d\n');
    expect((await praetor(['kv', 'get', '-keys', 'tre'])).stdout).to.equal('tree/\n');
    expect((await praetor(['kv', 'get', '-recurse', 'tree/a'])).stdout).to.equal('tree/a/1:TREE/A/1\ntree/a/2:TREE/A/2\n');
    expect(await praetor(['kv', 'get', '-keys', 'nothing/'])).to.deep.equal({ code: 0, stdout: '', stderr: '' });
    expect(await praetor(['kv', 'get', '-recurse', 'nothing/'])).to.deep.equal({ code: 0, stdout: '', stderr: '' });
    expect(await praetor(['kv', 'delete', '-recurse', 'tree/a'])).to.deep.equal({ code: 0, stdout: 'Success! Deleted keys with prefix: tree/a\n', stderr: '' });
    expect((await praetor(['kv', 'get', '-keys', '-separator=', 'tree/'])).stdout).to.equal('tree/b\ntree/c/d/e\n');
    expect(await praetor(['kv', 'delete', 'tree/never'])).to.deep.equal({ code: 0, stdout: 'Success! Deleted key: tree/never\n', stderr: '' });
  });

  it('exports as Consul does and imports it back from @file and from stdin', async () => {
    await praetor(['kv', 'put', '-flags=7', 'exp/a', 'one']);
    await praetor(['kv', 'put', '-base64', 'exp/b', Buffer.from([0, 0xff]).toString('base64')]);
    await praetor(['kv', 'put', 'exp/<empty>']);
    const exported = await praetor(['kv', 'export', 'exp/']);
    expect(exported.code).to.equal(0);
    expect(exported.stdout).to.equal(
      '[\n' +
        '\t{\n\t\t"key": "exp/\\u003cempty\\u003e",\n\t\t"flags": 0,\n\t\t"value": ""\n\t},\n' +
        '\t{\n\t\t"key": "exp/a",\n\t\t"flags": 7,\n\t\t"value": "b25l"\n\t},\n' +
        '\t{\n\t\t"key": "exp/b",\n\t\t"flags": 0,\n\t\t"value": "AP8="\n\t}\n' +
        ']\n',
    );
    expect(await praetor(['kv', 'export', 'exp/none'])).to.deep.equal({ code: 0, stdout: '[]\n', stderr: '' });
    const before = (await http(`${agent.url}/v1/kv/exp/?recurse`)).json() as Entry[];
    const file = path.join(dir, 'export.json');
    fs.writeFileSync(file, exported.stdout);

    await praetor(['kv', 'delete', '-recurse', 'exp/']);
    expect(await praetor(['kv', 'import', `@${file}`])).to.deep.equal({ code: 0, stdout: 'Imported: exp/<empty>\nImported: exp/a\nImported: exp/b\n', stderr: '' });
    const strip = (es: Entry[]) => es.map((e) => ({ Key: e.Key, Flags: e.Flags, Value: e.Value }));
    expect(strip((await http(`${agent.url}/v1/kv/exp/?recurse`)).json() as Entry[])).to.deep.equal(strip(before));

    await praetor(['kv', 'delete', '-recurse', 'exp/']);
    expect((await praetor(['kv', 'import', '-'], { input: exported.stdout })).code).to.equal(0);
    expect(strip((await http(`${agent.url}/v1/kv/exp/?recurse`)).json() as Entry[])).to.deep.equal(strip(before));
  });

  it('checks a whole import before writing any of it', async () => {
    const data = JSON.stringify([
      { key: 'imp/ok', flags: 0, value: 'eA==' },
      { key: 'imp/bad', flags: 0, value: '!!' },
    ]);
    expect(await praetor(['kv', 'import', data])).to.deep.equal({ code: 1, stdout: '', stderr: 'Error base 64 decoding value for key imp/bad: illegal base64 data at input byte 0\n' });
    expect(await entry('imp/ok')).to.equal(undefined);
    const notJson = await praetor(['kv', 'import', 'notjson']);
    expect(notJson.code).to.equal(1);
    expect(notJson.stderr).to.match(/^Cannot unmarshal data: /);
    expect(await praetor(['kv', 'import'])).to.deep.equal({ code: 1, stdout: '', stderr: 'Error! Missing DATA argument\n' });
    expect(await praetor(['kv', 'import', '[]'])).to.deep.equal({ code: 0, stdout: '', stderr: '' });
  });

  it('takes and gives up locks with -acquire and -release for a -session', async () => {
    const node = ((await http(`${agent.url}/v1/agent/self`)).json() as { Config: { NodeName: string } }).Config.NodeName;
    const create = async () => ((await http(`${agent.url}/v1/session/create`, { method: 'PUT', body: JSON.stringify({ Node: node, LockDelay: '0s' }) })).json() as { ID: string }).ID;
    const [s1, s2] = [await create(), await create()];
    expect(await praetor(['kv', 'put', '-acquire', `-session=${s1}`, 'lock/k', 'mine'])).to.deep.equal({ code: 0, stdout: 'Success! Lock acquired on: lock/k\n', stderr: '' });
    expect(await praetor(['kv', 'put', '-acquire', `-session=${s2}`, 'lock/k', 'theirs'])).to.deep.equal({ code: 1, stdout: '', stderr: 'Error! Did not acquire lock\n' });
    const held = (await praetor(['kv', 'get', '-detailed', 'lock/k'])).stdout;
    expect(held).to.include(`Session          ${s1}\n`);
    expect(held).to.include('LockIndex        1\n');
    expect(held).to.include('Value            mine\n');
    expect(await praetor(['kv', 'put', '-release', `-session=${s2}`, 'lock/k', 'x'])).to.deep.equal({ code: 1, stdout: '', stderr: 'Error! Did not release lock\n' });
    expect(await praetor(['kv', 'put', '-release', `-session=${s1}`, 'lock/k', 'done'])).to.deep.equal({ code: 0, stdout: 'Success! Lock released on: lock/k\n', stderr: '' });
    expect((await praetor(['kv', 'get', '-detailed', 'lock/k'])).stdout).to.include('Session          -\n');
    // -acquire wins over -release, as in Consul; -session alone is a plain write.
    expect((await praetor(['kv', 'put', '-acquire', '-release', `-session=${s2}`, 'lock/k', 'both'])).stdout).to.equal('Success! Lock acquired on: lock/k\n');
    expect((await praetor(['kv', 'put', `-session=${s1}`, 'lock/plain', 'v'])).stdout).to.equal('Success! Data written to: lock/plain\n');
    expect((await entry('lock/plain')) as unknown as { Session?: string }).to.not.have.property('Session');
    const unknown = await praetor(['kv', 'put', '-acquire', '-session=00000000-0000-0000-0000-000000000000', 'lock/k2', 'v']);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.match(/^Error! Failed writing data: Unexpected response code: 500 \(/);
  });

  it('keeps 64-bit flags exact through put, get -detailed, export and import', async () => {
    const big = '18446744073709551615';
    expect((await praetor(['kv', 'put', `-flags=${big}`, 'u64/k', 'v'])).code).to.equal(0);
    expect((await praetor(['kv', 'get', '-detailed', 'u64/k'])).stdout).to.include(`Flags            ${big}\n`);
    const exported = await praetor(['kv', 'export', 'u64/']);
    expect(exported.stdout).to.include(`"flags": ${big},`);
    await praetor(['kv', 'delete', 'u64/k']);
    expect((await praetor(['kv', 'import', '-'], { input: exported.stdout })).code).to.equal(0);
    expect((await http(`${agent.url}/v1/kv/u64/k`)).text).to.match(new RegExp(`"Flags": ?${big}\\b`));
    expect((await praetor(['kv', 'put', '-flags=18446744073709551616', 'u64/over', 'v'])).code).to.equal(1);
  });

  it('answers misuse with the usage hint or Consul\'s message, and exit 1', async () => {
    const cases: Array<[string[], string]> = [
      [['kv', 'get', '-bogus', 'k'], "flag provided but not defined: -bogus\nRun 'praetor kv get -h' for usage.\n"],
      [['kv', 'get'], 'Error! Missing KEY argument\n'],
      [['kv', 'get', 'a', 'b'], 'Too many arguments (expected 1, got 2)\n'],
      [['kv', 'put'], 'Error! Missing KEY argument\n'],
      [['kv', 'put', 'a', 'b', 'c'], 'Error! Too many arguments (expected 1 or 2, got 3)\n'],
      [['kv', 'put', '-flags=x', 'k', 'v'], "invalid value \"x\" for flag -flags: parse error\nRun 'praetor kv put -h' for usage.\n"],
      [['kv', 'put', '-cas', 'k', 'v'], 'Must specify -modify-index with -cas!\n'],
      [['kv', 'put', '-acquire', 'k', 'v'], 'Error! Missing -session (required with -acquire and -release)\n'],
      [['kv', 'put', '-release', 'k', 'v'], 'Error! Missing -session (required with -acquire and -release)\n'],
      [['kv', 'delete'], 'Error! Missing KEY argument\n'],
      [['kv', 'delete', '-cas', 'k'], 'Must specify -modify-index with -cas!\n'],
      [['kv', 'delete', '-modify-index=3', 'k'], 'Cannot specify -modify-index without -cas!\n'],
      [['kv', 'delete', '-recurse', '-cas', '-modify-index=3', 'k'], 'Cannot specify both -cas and -recurse!\n'],
      [['kv', 'export', 'a', 'b'], 'Too many arguments (expected 1, got 2)\n'],
      [['kv', 'import', 'a', 'b'], 'Error! Too many arguments (expected 1, got 2)\n'],
    ];
    for (const [args, stderr] of cases) {
      expect(await praetor(args), args.join(' ')).to.deep.equal({ code: 1, stdout: '', stderr });
    }
    expect(await entry('k')).to.equal(undefined);
    const help = await praetor(['kv', 'put', '-h']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^Usage: praetor kv put \[options\] KEY \[DATA\]/);
    expect(help.stdout).to.include('-modify-index=<uint>');
  });

  it('says which agent it could not reach', async () => {
    const res = await runPraetor(['kv', 'get', 'k'], { env: { CONSUL_HTTP_ADDR: '127.0.0.1:1', PRAETOR_HTTP_ADDR: undefined } });
    expect(res.code).to.equal(1);
    expect(res.stderr).to.match(/^Error querying Praetor agent: Get "http:\/\/127\.0\.0\.1:1\/v1\/kv\/k": connect ECONNREFUSED/);
    const put = await runPraetor(['kv', 'put', 'k', 'v'], { env: { CONSUL_HTTP_ADDR: '127.0.0.1:1', PRAETOR_HTTP_ADDR: undefined } });
    expect(put.code).to.equal(1);
    expect(put.stderr).to.match(/^Error! Failed writing data: Put "http:\/\/127\.0\.0\.1:1\/v1\/kv\/k"/);
  });
});
