import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'winston';
import { formatDuration } from '../../internal/duration.js';
import type { CheckDefinition } from '../../structs/check.js';
import type { CheckRunner, Report } from './check-runner.js';
import { healthService, type HealthCheckResponse } from './health-proto.js';
import { IntervalRunner, intervalSettings, timedOut, type Probe } from './interval-runner.js';

/** Splits a GRPC target "host:port[/service]" at its first slash, as Consul does. */
export function splitGrpcTarget(target: string): { address: string; service: string } {
  const slash = target.indexOf('/');
  return slash < 0 ? { address: target, service: '' } : { address: target.slice(0, slash), service: target.slice(slash + 1) };
}

/**
 * A gRPC check probe, as Consul's CheckGRPC: calls grpc.health.v1.Health/Check for the service
 * after the slash in GRPC (empty = the whole server) on a fresh channel, closed after the call.
 * SERVING is passing with "gRPC check <target>: success"; another status is critical with
 * "gRPC <target> serving status: <STATUS>"; an RPC error or the timeout is critical with the
 * error. GRPCUseTLS uses TLS, verifying the server unless TLSSkipVerify; otherwise plaintext.
 */
export function grpcProbe(def: CheckDefinition): Probe {
  const target = def.GRPC ?? '';
  const { address, service } = splitGrpcTarget(target);
  const credentials = def.GRPCUseTLS
    ? grpc.credentials.createSsl(null, null, null, def.TLSSkipVerify ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {})
    : grpc.credentials.createInsecure();
  return (signal, timeoutMs) =>
    new Promise((resolve) => {
      const Health = healthService();
      let client: grpc.Client;
      try {
        client = new Health(address, credentials, { 'grpc.enable_retries': 0 });
      } catch (err) {
        resolve({ status: 'critical', output: `gRPC ${target}: ${(err as Error).message}` });
        return;
      }
      const onAbort = () => call.cancel();
      const call = (client as unknown as HealthClient).Check(
        { service },
        { deadline: Date.now() + timeoutMs },
        (err: grpc.ServiceError | null, response?: HealthCheckResponse) => {
          signal.removeEventListener('abort', onAbort);
          client.close();
          if (err) {
            const why = timedOut(signal) ? `timed out after ${formatDuration(timeoutMs)}` : err.message;
            resolve({ status: 'critical', output: `gRPC ${target}: ${why}` });
          } else if (response?.status === 'SERVING') {
            resolve({ status: 'passing', output: `gRPC check ${target}: success` });
          } else {
            resolve({ status: 'critical', output: `gRPC ${target} serving status: ${response?.status ?? 'UNKNOWN'}` });
          }
        },
      );
      if (signal.aborted) call.cancel();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
}

interface HealthClient {
  Check(
    request: { service: string },
    options: grpc.CallOptions,
    callback: (err: grpc.ServiceError | null, response?: HealthCheckResponse) => void,
  ): grpc.ClientUnaryCall;
}

/** An interval runner around grpcProbe. */
export function createGrpcRunner(def: CheckDefinition, report: Report, logger: Logger): CheckRunner {
  const log = logger.child({ component: 'check-grpc', target: def.GRPC });
  return new IntervalRunner(grpcProbe(def), intervalSettings(def), report, log);
}
