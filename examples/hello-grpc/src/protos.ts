import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The example's .proto files, loaded at run time. tsc does not copy .proto files into dist/, so
 * they are read from the package's own proto/ folder: the nearest folder above this file that
 * holds package.json, which is the same from src/ and from dist/src/.
 */
export function protoDir(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'proto');
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}: cannot find the proto/ folder`);
  }
}

export interface HelloRequest {
  name: string;
}

export interface HelloReply {
  message: string;
  server: string;
}

export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/** The Greeter client as loaded (grpc-js generic client with the proto's method). */
export type GreeterClient = grpc.Client & {
  SayHello(req: HelloRequest, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: HelloReply) => void): grpc.ClientUnaryCall;
};

interface Loaded {
  hello: { Greeter: grpc.ServiceClientConstructor };
  grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
}

let loaded: Loaded | undefined;

/** hello.Greeter and grpc.health.v1.Health, loaded once (enums as strings, defaults filled in). */
export function protos(): Loaded {
  if (!loaded) {
    const dir = protoDir();
    const definition = protoLoader.loadSync(['hello.proto', 'grpc/health/v1/health.proto'], {
      includeDirs: [dir],
      keepCase: true,
      enums: String,
      defaults: true,
    });
    loaded = grpc.loadPackageDefinition(definition) as unknown as Loaded;
  }
  return loaded;
}
