import { ConsulError } from '../sd/consul/errors.js';

/**
 * registerPraetorResolver() was handed a @grpc/grpc-js other than the one the app resolves:
 * channels made from the app's copy would not know `praetor:` and would quietly try DNS.
 */
export class GrpcMismatchError extends ConsulError {
  constructor(detail: string) {
    super('PRAETOR_ERR_GRPC_MISMATCH', `registerPraetorResolver: ${detail}`);
  }
}

/** The @grpc/grpc-js handed over is not one the resolver supports (the listener shape of 1.14). */
export class UnsupportedGrpcError extends ConsulError {
  constructor(detail: string) {
    super('PRAETOR_ERR_GRPC_UNSUPPORTED', `registerPraetorResolver: ${detail}`);
  }
}
