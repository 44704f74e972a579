import * as grpc from '@grpc/grpc-js';
import type { ServingStatus } from './protos.js';

interface HealthRequest {
  service: string;
}

type Watcher = grpc.ServerWritableStream<HealthRequest, { status: ServingStatus }>;

/**
 * grpc.health.v1.Health for one server: Check answers the status of a service ("" is the whole
 * server), or NOT_FOUND for a service it does not know; Watch streams each change. stop() sets
 * every service NOT_SERVING and ends the Watch streams, so a graceful server shutdown is not held
 * open by them.
 */
export class HealthService {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly watchers = new Map<Watcher, string>();

  constructor(services: string[] = []) {
    for (const s of ['', ...services]) this.statuses.set(s, 'SERVING');
  }

  set(service: string, status: ServingStatus): void {
    this.statuses.set(service, status);
    for (const [call, s] of this.watchers) if (s === service) call.write({ status });
  }

  stop(): void {
    for (const s of this.statuses.keys()) this.set(s, 'NOT_SERVING');
    for (const call of this.watchers.keys()) call.end();
    this.watchers.clear();
  }

  implementation(): grpc.UntypedServiceImplementation {
    return {
      Check: (call: grpc.ServerUnaryCall<HealthRequest, unknown>, cb: grpc.sendUnaryData<{ status: ServingStatus }>) => {
        const status = this.statuses.get(call.request.service);
        if (status) cb(null, { status });
        else cb({ code: grpc.status.NOT_FOUND, details: `unknown service ${JSON.stringify(call.request.service)}` });
      },
      Watch: (call: Watcher) => {
        const service = call.request.service;
        this.watchers.set(call, service);
        call.write({ status: this.statuses.get(service) ?? 'SERVICE_UNKNOWN' });
        call.on('cancelled', () => this.watchers.delete(call));
      },
    };
  }
}
