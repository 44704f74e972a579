// Public API of @praetor/sd-loadbalancer: named exports only. Nothing under internal/ is exported.
export type { Balancer } from './balancer.js';
export { NoEndpointsError, FixedBalancer } from './balancer.js';
export type { Rng, RandomOptions } from './random.js';
export { Random } from './random.js';
export type { RoundRobinOptions } from './round-robin.js';
export { RoundRobin } from './round-robin.js';
export { WeightedRoundRobin } from './weighted-round-robin.js';
export type { LeastPendingOptions } from './least-pending.js';
export { LeastPending } from './least-pending.js';
export type { RetryCallback, RetryOptions } from './retry.js';
export { retry, RetryError } from './retry.js';
