import type * as grpc from '@grpc/grpc-js';

/** gRPC's own retries, per call attempt, as a service config's retryPolicy. */
export interface GrpcRetryOptions {
  /** Attempts in all, the first included (2–5; grpc-js caps at 5). Default 3. */
  maxAttempts?: number;
  /** The pause before the first retry (ms), randomised by gRPC. Default 100. */
  initialBackoffMs?: number;
  /** The longest pause (ms). Default 1000. */
  maxBackoffMs?: number;
  /** Default 2. */
  backoffMultiplier?: number;
  /** Status names that are retried. Default ['UNAVAILABLE'] (the call never reached a working server). */
  retryableStatusCodes?: string[];
}

/**
 * Outlier ejection (grpc-js's outlier_detection policy): an instance whose calls keep failing is
 * skipped for a while, locally, without touching the registry, then let back in.
 */
export interface OutlierEjectionOptions {
  /** How often the failure rates are looked at (ms). Default 10 000. */
  intervalMs?: number;
  /** How long a first ejection lasts (ms); each further one lasts longer. Default 30 000. */
  baseEjectionTimeMs?: number;
  /** The longest ejection (ms). Default 300 000. */
  maxEjectionTimeMs?: number;
  /** At most this share of the instances is ejected at once (%). Default 50. */
  maxEjectionPercent?: number;
  /** An instance with at least this share of failed calls in an interval is ejected (%). Default 50. */
  failurePercentage?: number;
  /** Calls an instance needs in an interval before its rate counts. Default 10. */
  requestVolume?: number;
  /** Instances with enough calls needed before anyone is ejected. Default 2. */
  minimumHosts?: number;
}

export interface PraetorServiceConfigOptions {
  /** false: no retries by gRPC. */
  retry?: GrpcRetryOptions | false;
  /** false: plain round_robin. */
  outlierEjection?: OutlierEjectionOptions | false;
}

export const GRPC_RETRY_DEFAULTS = { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 1000, backoffMultiplier: 2, retryableStatusCodes: ['UNAVAILABLE'] } as const;
export const OUTLIER_EJECTION_DEFAULTS = {
  intervalMs: 10_000,
  baseEjectionTimeMs: 30_000,
  maxEjectionTimeMs: 300_000,
  maxEjectionPercent: 50,
  failurePercentage: 50,
  requestVolume: 10,
  minimumHosts: 2,
} as const;

const seconds = (ms: number) => `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
const duration = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: Math.round((ms % 1000) * 1e6) });

/**
 * The service config the praetor resolver supplies: round_robin over every instance, inside
 * outlier ejection, and a retry policy for every method. grpc-js picks the first policy it
 * knows from `loadBalancingConfig`, so round_robin alone follows as the fallback.
 */
export function praetorServiceConfig(opts: PraetorServiceConfigOptions = {}): grpc.ServiceConfig {
  const lb: grpc.ServiceConfig['loadBalancingConfig'] = [];
  if (opts.outlierEjection !== false) {
    const o = { ...OUTLIER_EJECTION_DEFAULTS, ...opts.outlierEjection };
    lb.push({
      outlier_detection: {
        interval: duration(o.intervalMs),
        base_ejection_time: duration(o.baseEjectionTimeMs),
        max_ejection_time: duration(o.maxEjectionTimeMs),
        max_ejection_percent: o.maxEjectionPercent,
        failure_percentage_ejection: { threshold: o.failurePercentage, enforcement_percentage: 100, minimum_hosts: o.minimumHosts, request_volume: o.requestVolume },
        child_policy: [{ round_robin: {} }],
      },
    } as never);
  }
  lb.push({ round_robin: {} });
  const methodConfig: grpc.ServiceConfig['methodConfig'] = [];
  if (opts.retry !== false) {
    const r = { ...GRPC_RETRY_DEFAULTS, ...opts.retry };
    methodConfig.push({
      name: [{}],
      retryPolicy: {
        maxAttempts: r.maxAttempts,
        initialBackoff: seconds(r.initialBackoffMs),
        maxBackoff: seconds(r.maxBackoffMs),
        backoffMultiplier: r.backoffMultiplier,
        retryableStatusCodes: [...r.retryableStatusCodes],
      },
    });
  }
  return { loadBalancingConfig: lb, methodConfig };
}
