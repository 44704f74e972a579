// The hello-grpc client's composition root: registers the praetor resolver, dials
// praetor:///hello (round_robin over every passing instance, from the resolver's default service
// config) and says hello N times, printing which server answered each call.
//
//   node dist/src/client.js [--target praetor:///hello] [--count 10 (0: until stopped)]
//        [--interval-ms 500] [--name world] [--deadline-ms 2000] [--registry 127.0.0.1:8500]...
//
// Output, one line per call:  "call 3: hello-2 answered "Hello, world!""  or  "call 4 failed: …".
import * as grpc from '@grpc/grpc-js';
import { registerPraetorResolver } from '@praetor/sdk/grpc';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createLogger } from './logging.js';
import { protos, type GreeterClient, type HelloReply } from './protos.js';

function sayHello(greeter: GreeterClient, name: string, deadlineMs: number): Promise<HelloReply> {
  return new Promise((resolve, reject) =>
    greeter.SayHello({ name }, { deadline: Date.now() + deadlineMs }, (err, res) => (err ? reject(err) : resolve(res!))),
  );
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      target: { type: 'string', default: 'praetor:///hello' },
      count: { type: 'string', default: '10' },
      'interval-ms': { type: 'string', default: '500' },
      name: { type: 'string', default: 'world' },
      'deadline-ms': { type: 'string', default: '2000' },
      registry: { type: 'string', multiple: true, default: [] },
    },
  });
  const log = createLogger('hello-client');
  // Explicit, once, before any channel: nothing registers the scheme as a side effect of an import.
  registerPraetorResolver(grpc, { logger: log, clientOptions: args.registry.length ? { addresses: args.registry } : {} });

  const { hello } = protos();
  // A proxy variable in the environment would route every non-unix target, praetor: included,
  // through the proxy and bypass the resolver.
  const greeter = new hello.Greeter(args.target, grpc.credentials.createInsecure(), { 'grpc.enable_http_proxy': 0 }) as unknown as GreeterClient;

  let stopping = false;
  const stop = () => void (stopping = true);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const count = Number(args.count);
  for (let i = 1; !stopping && (count === 0 || i <= count); i++) {
    try {
      const reply = await sayHello(greeter, args.name, Number(args['deadline-ms']));
      process.stdout.write(`call ${i}: ${reply.server} answered ${JSON.stringify(reply.message)}\n`);
    } catch (err) {
      process.stdout.write(`call ${i} failed: ${(err as grpc.ServiceError).details ?? (err as Error).message}\n`);
    }
    if (!stopping && (count === 0 || i < count)) await sleep(Number(args['interval-ms']));
  }
  greeter.close();
}

main().catch((err: Error) => {
  process.stderr.write(`hello-client: ${err.message}\n`);
  process.exit(1);
});
