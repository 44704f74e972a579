import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PACKAGES = ['test-support', 'sdk', 'sd-loadbalancer', 'ui', 'registry-server'];

/** A new user's first program: a registered service and a balanced client of it. */
const FIRST_PROGRAM = `
import http from 'node:http';
import { AxiosClient, ConsulInstancer, ConsulRegistrar, DefaultEndpointer, startTestAgent } from '@praetor/sdk';
import { RoundRobin, retry } from '@praetor/sd-loadbalancer';

const agent = await startTestAgent(); // or \`npx praetor agent -dev\` and new AxiosClient()
const client = new AxiosClient({ addresses: [agent.url] });
const server = http.createServer((req, res) => res.end(JSON.stringify({ hello: 'world' }))).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const port = server.address().port;
const registrar = new ConsulRegistrar(client, { Name: 'hello', Address: '127.0.0.1', Port: port });
await registrar.register();

const instancer = new ConsulInstancer(client, undefined, { service: 'hello' });
const endpointer = new DefaultEndpointer(instancer, (i) => ({ endpoint: async (_req, signal) => (await fetch(\`http://\${i.key}/\`, { signal })).json() }));
const hello = retry(new RoundRobin(endpointer), { max: 3, timeoutMs: 5000 });
console.log(JSON.stringify(await hello({})));

endpointer.close();
await instancer.stop();
await registrar.deregister();
server.close();
await agent.stop();
`;

/** Issue 12, item 9: each package packs without its tests and installs into an empty project. */
describe('issue 12: npm pack, then install into an empty project outside the monorepo', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praetor-pack-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const name of PACKAGES) {
    it(`@praetor/${name} has exports with types, and its tarball holds no compiled test or test-support file`, async () => {
      const pkgDir = path.join(root, 'packages', name);
      const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
      expect(pkg.exports['.'].types, 'exports["."].types').to.be.a('string');
      expect(pkg.files, 'files').to.be.an('array');
      const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkgDir });
      const files: string[] = JSON.parse(stdout)[0].files.map((f: { path: string }) => f.path);
      expect(files.filter((f) => /\.test\.|\/test\/|\/test-support\.|\/test-[^/]*$/.test(f))).to.deep.equal([]);
      expect(files).to.include(pkg.exports['.'].types.replace(/^\.\//, ''));
    });
  }

  it('the tarballs install into an empty project, whose first program registers, discovers and balances', async () => {
    const tarballs: string[] = [];
    for (const name of PACKAGES) {
      const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: path.join(root, 'packages', name) });
      tarballs.push(path.join(dir, JSON.parse(stdout)[0].filename));
    }
    const project = path.join(dir, 'app');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }));
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs], { cwd: project, maxBuffer: 16 * 1024 * 1024 });
    const installed = fs.readdirSync(path.join(project, 'node_modules', '@praetor')).sort();
    expect(installed).to.deep.equal(['registry-server', 'sd-loadbalancer', 'sdk', 'test-support', 'ui']);
    expect(FIRST_PROGRAM.trim().split('\n').length, 'a first program under 30 lines').to.be.lessThan(30);
    fs.writeFileSync(path.join(project, 'main.js'), FIRST_PROGRAM);
    const { stdout } = await run(process.execPath, ['main.js'], { cwd: project, env: { ...process.env, PRAETOR_LOG_LEVEL: 'warn' } });
    expect(stdout.trim().split('\n').at(-1)).to.equal('{"hello":"world"}');
  });
});
