import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * The standard gRPC health protocol (grpc/grpc-proto `grpc/health/v1/health.proto`), written as a
 * protobuf.js JSON descriptor so it ships inside the compiled JavaScript: tsc does not copy .proto
 * files into dist/, and nothing here reads the file system.
 *
 *   message HealthCheckRequest { string service = 1; }
 *   message HealthCheckResponse {
 *     enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }
 *     ServingStatus status = 1;
 *   }
 *   service Health {
 *     rpc Check(HealthCheckRequest) returns (HealthCheckResponse);
 *     rpc Watch(HealthCheckRequest) returns (stream HealthCheckResponse);
 *   }
 */
const HEALTH_V1: Parameters<typeof protoLoader.fromJSON>[0] = {
  nested: {
    grpc: {
      nested: {
        health: {
          nested: {
            v1: {
              nested: {
                HealthCheckRequest: { fields: { service: { type: 'string', id: 1 } } },
                HealthCheckResponse: {
                  fields: { status: { type: 'ServingStatus', id: 1 } },
                  nested: {
                    ServingStatus: { values: { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } },
                  },
                },
                Health: {
                  methods: {
                    Check: { requestType: 'HealthCheckRequest', responseType: 'HealthCheckResponse', comment: '' },
                    Watch: { requestType: 'HealthCheckRequest', responseType: 'HealthCheckResponse', responseStream: true, comment: '' },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

/** What Check returns, with enums as strings ("SERVING", "NOT_SERVING", …). */
export interface HealthCheckResponse {
  status: 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
}

/** The grpc.health.v1.Health client constructor; `.service` is its definition, for servers. */
export type HealthClientConstructor = grpc.ServiceClientConstructor;

let cached: HealthClientConstructor | undefined;

/** Loads the descriptor once (enums as strings, defaults filled in) and returns the Health client class. */
export function healthService(): HealthClientConstructor {
  if (!cached) {
    const definition = protoLoader.fromJSON(HEALTH_V1, { enums: String, defaults: true, keepCase: true });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
      grpc: { health: { v1: { Health: HealthClientConstructor } } };
    };
    cached = loaded.grpc.health.v1.Health;
  }
  return cached;
}
