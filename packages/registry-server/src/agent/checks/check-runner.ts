import type { CheckStatus } from '../../structs/check.js';

/** A check's verdict: status and the output shown in the catalog (already truncated). */
export interface CheckResult {
  status: CheckStatus;
  output: string;
}

/** Where a runner reports; the agent writes to the catalog only when status or output changed. */
export type Report = (result: CheckResult) => void;

/**
 * A running check. start() begins probing (the first probe is not run synchronously);
 * stop() cancels the timer and any probe in flight and is safe to call twice.
 */
export interface CheckRunner {
  start(): void;
  stop(): void;
}
