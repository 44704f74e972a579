import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { expect } from 'chai';
import { http as request, startAgent, tempDir, within, type AgentProcess } from './harness.js';

/**
 * Issue 13 §2: Docker checks (DockerContainerID + Args) run through the Docker Engine API on its
 * Unix socket. Docker cannot run here, so the success path talks to a small stand-in of the
 * Engine API's three exec calls on a Unix socket in a temp dir; the failure path has no socket.
 */
describe('docker checks', function () {
  this.timeout(60_000);
  const dir = tempDir('praetor-docker-');
  const socket = path.join(dir, 'docker.sock');
  const calls: string[] = [];
  let engine: http.Server;
  let agent: AgentProcess;
  const put = (p: string, body: unknown) => request(`${agent.url}${p}`, { method: 'PUT', body: JSON.stringify(body) });
  const check = async (id: string) => ((await (await fetch(`${agent.url}/v1/agent/checks`)).json()) as Record<string, { Status: string; Output: string; Type: string }>)[id];

  before(async () => {
    // Exec "e-<n>" runs Cmd: `exit <n>` as its last word gives the exit code; the output echoes the command.
    const execs = new Map<string, string[]>();
    engine = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        calls.push(`${req.method} ${req.url}`);
        const create = /^\/containers\/([^/]+)\/exec$/.exec(req.url ?? '');
        if (req.method === 'POST' && create) {
          if (create[1] !== 'web-1') return void res.writeHead(404).end('{"message":"No such container"}');
          const id = `e-${execs.size}`;
          execs.set(id, (JSON.parse(body) as { Cmd: string[] }).Cmd);
          return void res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ Id: id }));
        }
        const exec = /^\/exec\/([^/]+)\/(start|json)$/.exec(req.url ?? '');
        const cmd = exec && execs.get(exec[1]!);
        if (!cmd) return void res.writeHead(404).end();
        if (exec![2] === 'start') return void res.writeHead(200).end(`ran ${cmd.join(' ')}\n`);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ExitCode: Number(cmd[cmd.length - 1]) }));
      });
    });
    await new Promise<void>((resolve) => engine.listen(socket, resolve));
    agent = await startAgent(['-dev', '-log-level=warn', '-enable-script-checks'], { env: { DOCKER_HOST: `unix://${socket}` } });
  });
  after(async () => {
    await agent?.stop();
    await new Promise((resolve) => engine?.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs Args in the container through the Engine API: type docker, exit 0 passing, 1 warning, with the exec output', async () => {
    expect((await put('/v1/agent/check/register', { Name: 'ok', DockerContainerID: 'web-1', Shell: '/bin/sh', Args: ['/check.sh', '0'], Interval: '1s' })).status).to.equal(200);
    expect((await put('/v1/agent/check/register', { Name: 'meh', DockerContainerID: 'web-1', Args: ['/check.sh', '1'], Interval: '1s' })).status).to.equal(200);
    await within(15_000, async () => (await check('ok'))?.Status === 'passing' && (await check('meh'))?.Status === 'warning');
    expect(await check('ok')).to.include({ Type: 'docker', Output: 'ran /check.sh 0\n' });
    expect(calls).to.include.members(['POST /containers/web-1/exec', 'POST /exec/e-0/start', 'GET /exec/e-0/json']);
  });

  it('an unknown container is critical, saying so', async () => {
    expect((await put('/v1/agent/check/register', { Name: 'gone', DockerContainerID: 'nope', Args: ['/check.sh', '0'], Interval: '1s' })).status).to.equal(200);
    await within(15_000, async () => (await check('gone'))?.Output !== '');
    expect((await check('gone'))!.Output).to.equal('create exec failed for unknown container nope');
  });

  it('without a Docker socket: critical, with the output naming the socket and why', async () => {
    const lonely = await startAgent(['-dev', '-log-level=warn', '-enable-script-checks'], { env: { DOCKER_HOST: `unix://${path.join(dir, 'absent.sock')}` } });
    try {
      const res = await request(`${lonely.url}/v1/agent/check/register`, { method: 'PUT', body: JSON.stringify({ Name: 'dk', DockerContainerID: 'abc123', Args: ['/bin/true'], Interval: '1s' }) });
      expect(res.status).to.equal(200);
      const read = async () => ((await (await fetch(`${lonely.url}/v1/agent/checks`)).json()) as Record<string, { Status: string; Output: string }>).dk;
      await within(15_000, async () => (await read())?.Output !== '');
      expect(await read()).to.include({ Status: 'critical', Output: `create exec failed for container abc123: dial unix ${path.join(dir, 'absent.sock')}: connect: no such file or directory` });
    } finally {
      await lonely.stop();
    }
  });

  it('needs enable_script_checks, as script checks do', async () => {
    const strict = await startAgent(['-dev', '-log-level=warn']);
    try {
      const res = await request(`${strict.url}/v1/agent/check/register`, { method: 'PUT', body: JSON.stringify({ Name: 'dk', DockerContainerID: 'abc123', Args: ['/bin/true'], Interval: '1s' }) });
      expect([res.status, res.text]).to.deep.equal([400, "Scripts are disabled on this agent from remote calls; to enable, configure 'enable_script_checks' to true"]);
    } finally {
      await strict.stop();
    }
  });
});
