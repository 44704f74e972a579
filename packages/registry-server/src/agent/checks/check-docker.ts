import http from 'node:http';
import type { Logger } from 'winston';
import type { CheckDefinition } from '../../structs/check.js';
import type { CheckRunner, Report } from './check-runner.js';
import { SCRIPT_DEFAULT_TIMEOUT_MS } from './check-script.js';
import { IntervalRunner, intervalSettings, type Probe } from './interval-runner.js';

/** Where the Docker Engine API listens: DOCKER_HOST (`unix://PATH` or `tcp://HOST:PORT`), else its usual socket. */
export function dockerEndpoint(dockerHost = process.env.DOCKER_HOST ?? ''): { socketPath: string } | { host: string; port: number } {
  if (dockerHost.startsWith('tcp://')) {
    const u = new URL(`http://${dockerHost.slice('tcp://'.length)}`);
    return { host: u.hostname, port: Number(u.port || 2375) };
  }
  return { socketPath: dockerHost.startsWith('unix://') ? dockerHost.slice('unix://'.length) : '/var/run/docker.sock' };
}

/** Node's errno for a failed connection, worded as Go's dialer words it (the text Consul shows). */
const GO_ERRNO: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ECONNREFUSED: 'connection refused',
  EACCES: 'permission denied',
  ENOTSOCK: 'socket operation on non-socket',
};

interface EngineReply {
  status: number;
  body: Buffer;
}

function call(endpoint: ReturnType<typeof dockerEndpoint>, method: string, path: string, body: unknown, signal: AbortSignal): Promise<EngineReply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      { ...endpoint, method, path, signal, headers: { Host: 'docker', ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      const target = 'socketPath' in endpoint ? `unix ${endpoint.socketPath}` : `tcp ${endpoint.host}:${endpoint.port}`;
      const why = err.code && GO_ERRNO[err.code];
      reject(new Error(why ? `dial ${target}: connect: ${why}` : err.message));
    });
    req.end(payload);
  });
}

/**
 * A Docker check probe, as Consul's: runs ScriptArgs in container DockerContainerID through the
 * Docker Engine API (create an exec, start it attached with a TTY, read its exit code). Exit 0
 * is passing, 1 warning, anything else critical; the output is the exec's. Anything that keeps
 * it from running (no Docker socket, an unknown or stopped container) is critical, with an
 * output that says which step failed and why, in Consul's words.
 */
export function dockerProbe(def: CheckDefinition, endpoint = dockerEndpoint()): Probe {
  const container = def.DockerContainerID ?? '';
  return async (signal) => {
    try {
      const created = await step('create', () => call(endpoint, 'POST', `/containers/${encodeURIComponent(container)}/exec`, { AttachStdin: false, AttachStdout: true, AttachStderr: true, Tty: false, Cmd: def.ScriptArgs ?? [] }, signal));
      if (created.status === 404) return critical(`create exec failed for unknown container ${container}`);
      if (created.status === 409) return critical(`create exec failed since container ${container} is paused or stopped`);
      if (created.status !== 201) return critical(`create exec failed for container ${container} with status ${created.status}: ${created.body.toString()}`);
      const id = parseJson<{ Id?: string }>(created.body, `create exec response for container ${container} cannot be parsed`).Id ?? '';
      const started = await step('start', () => call(endpoint, 'POST', `/exec/${encodeURIComponent(id)}/start`, { Detach: false, Tty: true }, signal));
      if (started.status === 404) return critical(`start exec failed for container ${container}: invalid exec id ${id}`);
      if (started.status === 409) return critical(`start exec failed since container ${container} is paused or stopped`);
      if (started.status !== 200) return critical(`start exec failed for container ${container} with status ${started.status}: ${started.body.toString()}`);
      const inspected = await step('inspect', () => call(endpoint, 'GET', `/exec/${encodeURIComponent(id)}/json`, undefined, signal));
      if (inspected.status === 404) return critical(`inspect exec failed for container ${container}: invalid exec id ${id}`);
      if (inspected.status !== 200) return critical(`inspect exec failed for container ${container} with status ${inspected.status}: ${inspected.body.toString()}`);
      const code = parseJson<{ ExitCode?: number }>(inspected.body, `inspect exec response for container ${container} cannot be parsed`).ExitCode ?? 0;
      const output = started.body.toString();
      return { status: code === 0 ? 'passing' : code === 1 ? 'warning' : 'critical', output };
    } catch (err) {
      return critical((err as Error).message);
    }
  };

  async function step(name: string, run: () => Promise<EngineReply>): Promise<EngineReply> {
    try {
      return await run();
    } catch (err) {
      throw new Error(`${name} exec failed for container ${container}: ${(err as Error).message}`);
    }
  }
}

const critical = (output: string) => ({ status: 'critical' as const, output });

function parseJson<T>(body: Buffer, what: string): T {
  try {
    return JSON.parse(body.toString()) as T;
  } catch (err) {
    throw new Error(`${what}: ${(err as Error).message}`);
  }
}

/** An interval runner around dockerProbe (the script checks' 30s default timeout). */
export function createDockerRunner(def: CheckDefinition, report: Report, logger: Logger): CheckRunner {
  const log = logger.child({ component: 'check-docker', container: def.DockerContainerID });
  return new IntervalRunner(dockerProbe(def), intervalSettings(def, SCRIPT_DEFAULT_TIMEOUT_MS), report, log);
}
