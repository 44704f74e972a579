// Public API of @praetor/sdk: named exports only. Nothing under internal/ is exported.

// sd: the role interfaces and the generic machinery (no axios, grpc-js or inversify here).
export type { Instance } from './sd/instance.js';
export { instance, instanceKey, byKey } from './sd/instance.js';
export type { InstancerEvent, Listener } from './sd/event.js';
export type { Instancer } from './sd/instancer.js';
export { FixedInstancer } from './sd/instancer.js';
export type { Registrar } from './sd/registrar.js';
export type { Factory, FactoryResult, Endpoint } from './sd/factory.js';
export type { Endpointer, EndpointEntry } from './sd/endpointer.js';
export { FixedEndpointer } from './sd/endpointer.js';
export { DefaultEndpointer } from './sd/default-endpointer.js';
export type { EndpointCacheOptions } from './sd/endpoint-cache.js';
export { DEFAULT_READY_TIMEOUT_MS, type ReadyOptions } from './sd/ready.js';
export type { BackoffOptions } from './sd/backoff-options.js';

// sd/consul: the Consul HTTP API (Praetor or Consul) as a backend.
export type * from './sd/consul/api-types.js';
export type { Client, DiscoveryClient, AgentClient, HealthQuery, SessionClient, LockClient } from './sd/consul/client.js';
export { AxiosClient, blockingTimeout, type ClientOptions } from './sd/consul/axios-client.js';
export { ConsulInstancer, toInstance, type ConsulInstancerOptions, type InstancerState, type InstancerStatus } from './sd/consul/instancer.js';
export { ConsulRegistrar, type ConsulRegistrarOptions, type GracefulShutdownOptions, type HealthReport, type CheckStatus } from './sd/consul/registrar.js';
export { validateRegistration } from './sd/consul/registration.js';
export { KvWatcher, syncKeyToFile, watchParsed, type KvSnapshot, type KvListener, type KvWatcherOptions } from './sd/consul/kv-watcher.js';
export { ConsulError, UnknownCheckError, UnreachableError, ResponseError, InvalidRegistrationError, NotReadyError } from './sd/consul/errors.js';
export { InvalidSessionError, LockConflictError, LockHeldError, LockAbortedError, LockLostError, type LockLossReason } from './sd/consul/errors.js';

// lock: a lock on a KV key and leader election on it (sessions, ?acquire/?release; interoperates with `consul lock`).
export { FixedLock, type Lock, type AcquireOptions } from './lock/lock.js';
export { ConsulLock, lockHolder } from './lock/consul-lock.js';
export { LOCK_DEFAULTS, type ConsulLockOptions, type LockState, type LockStatus } from './lock/consul-lock-options.js';
export { LOCK_FLAG_VALUE, isLockFlags } from './lock/lock-flags.js';
export { SessionKeeper, SessionEndedError } from './lock/session-keeper.js';
export { LeaderElection, elect, type LeaderElectionOptions, type LeaderElectionEvents, type ElectionState, type ElectionStatus } from './lock/leader-election.js';

// testing: a real registry for users' own test suites.
export { startTestAgent, type TestAgent, type TestAgentOptions } from './testing/start-test-agent.js';
export { within, freePort } from '@praetor/test-support';

// breaker: opossum circuit breakers as endpoint middleware.
export { circuitBreaker, withBreaker, BREAKER_DEFAULTS, type BreakerOptions, type BrokenEndpoint } from './breaker/circuit-breaker.js';
export type { Breaker } from './breaker/breaker.js';

// log: the Logger the classes take (winston's fits as it is), adapters for console and pino.
export { FixedLogger, type Logger, type LogFields } from './log/logger.js';
export { defaultLogger } from './log/default-logger.js';
export { consoleLogger, pinoLogger, type ConsoleLike, type PinoLike } from './log/adapters.js';

// di: inversify container modules and tokens, for composition roots only.
export { TOKENS } from './di/tokens.js';
export { loggerModule, clientModule, registrarModule, instancerModule, leaderElectionModule } from './di/modules.js';

// grpc: the praetor:/// resolver lives in the subpath export '@praetor/sdk/grpc', so importing this
// entry point never loads @grpc/grpc-js.
