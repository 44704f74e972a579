// Public API of @praetor/sdk/grpc: the praetor:/// name resolver for the app's own @grpc/grpc-js
// (a peer dependency, >=1.14.0 <1.15.0), registered explicitly, never on import.
export { registerPraetorResolver, praetorResolverClass, DEFAULT_PRAETOR_SERVICE_CONFIG, type PraetorResolverOptions, type PraetorResolverClass } from './resolver-praetor.js';
export { praetorTarget, parsePraetorTarget, InvalidTargetError, PRAETOR_SCHEME, type PraetorTarget, type PraetorTargetOptions } from './praetor-target.js';
export { GrpcMismatchError, UnsupportedGrpcError } from './grpc-errors.js';
export { SUPPORTED_GRPC_JS, type GrpcModule } from './grpc-module.js';
export { praetorServiceConfig, GRPC_RETRY_DEFAULTS, OUTLIER_EJECTION_DEFAULTS, type PraetorServiceConfigOptions, type GrpcRetryOptions, type OutlierEjectionOptions } from './service-config.js';
export { praetorBreakerInterceptor, GRPC_BREAKER_DEFAULTS, type GrpcBreakerOptions, type BreakerInterceptor } from './breaker-interceptor.js';
