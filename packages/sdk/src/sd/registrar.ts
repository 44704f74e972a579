/**
 * Registers a service instance with a registry. register() resolves once the registry has it;
 * deregister() once it is gone. Both are idempotent.
 */
export interface Registrar {
  register(): Promise<void>;
  deregister(): Promise<void>;
}
