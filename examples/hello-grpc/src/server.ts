// The hello-grpc server's composition root: a grpc-js server with hello.Greeter and
// grpc.health.v1.Health, registered with Praetor under a GRPC health check, that leaves the
// registry gracefully on SIGINT/SIGTERM.
//
//   node dist/src/server.js [--port 0] [--host 127.0.0.1] [--id hello-1] [--service hello]
//        [--tag v1]... [--registry 127.0.0.1:8500]... [--check-interval 2s] [--propagation-ms 2000]
//
// --registry defaults to $PRAETOR_HTTP_ADDR, $CONSUL_HTTP_ADDR or 127.0.0.1:8500; --port 0 (the
// default, or $PORT) picks a free port.
import * as grpc from '@grpc/grpc-js';
import { AxiosClient, ConsulRegistrar } from '@praetor/sdk';
import { parseArgs } from 'node:util';
import type { Logger } from 'winston';
import { HealthService } from './health.js';
import { createLogger } from './logging.js';
import { protos, type HelloReply, type HelloRequest } from './protos.js';

/** How long draining waits for calls in flight before forcing the server down (ms). */
const DRAIN_TIMEOUT_MS = 10_000;

function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
  );
}

/** Ends health watches, lets calls in flight finish (bounded), and closes the server. */
function drain(server: grpc.Server, health: HealthService, log: Logger): Promise<void> {
  health.stop();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      log.warn('calls still running after the drain timeout; forcing the server down', { timeoutMs: DRAIN_TIMEOUT_MS });
      server.forceShutdown();
      resolve();
    }, DRAIN_TIMEOUT_MS);
    timer.unref();
    server.tryShutdown(() => {
      clearTimeout(timer);
      log.info('drained');
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '0' },
      host: { type: 'string', default: '127.0.0.1' },
      id: { type: 'string' },
      service: { type: 'string', default: 'hello' },
      tag: { type: 'string', multiple: true, default: [] },
      registry: { type: 'string', multiple: true, default: [] },
      'check-interval': { type: 'string', default: '2s' },
      'propagation-ms': { type: 'string', default: '2000' },
    },
  });
  const log = createLogger('hello-server');
  const { hello, grpc: health } = protos();

  const server = new grpc.Server();
  const healthService = new HealthService(['hello.Greeter']);
  let id = args.id ?? '';
  server.addService(hello.Greeter.service, {
    SayHello: (call: grpc.ServerUnaryCall<HelloRequest, HelloReply>, cb: grpc.sendUnaryData<HelloReply>) => {
      log.debug('SayHello', { name: call.request.name });
      cb(null, { message: `Hello, ${call.request.name || 'world'}!`, server: id });
    },
  });
  server.addService(health.health.v1.Health.service, healthService.implementation());
  const port = await bind(server, `${args.host}:${args.port}`);
  id ||= `${args.service}-${args.host}-${port}`;
  log.info('listening', { address: `${args.host}:${port}`, id });

  const client = new AxiosClient({ addresses: args.registry.length ? args.registry : undefined, logger: log });
  const registrar = new ConsulRegistrar(
    client,
    {
      Name: args.service,
      ID: id,
      Address: args.host,
      Port: port,
      Tags: args.tag,
      // Checks this server's hello.Greeter through grpc.health.v1 (Consul's "host:port/service").
      Check: { GRPC: `${args.host}:${port}/hello.Greeter`, Interval: args['check-interval'], DeregisterCriticalServiceAfter: '1m' },
    },
    log,
    {
      // SIGINT/SIGTERM: maintenance on (callers' watches drop us), wait, drain, deregister, exit.
      gracefulShutdown: { propagationMs: Number(args['propagation-ms']), drain: () => drain(server, healthService, log) },
    },
  );
  await registrar.register();
}

main().catch((err: Error) => {
  process.stderr.write(`hello-server: ${err.message}\n`);
  process.exit(1);
});
