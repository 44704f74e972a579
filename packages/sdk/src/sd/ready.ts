/** How long ready() waits for a first answer by default (ms). */
export const DEFAULT_READY_TIMEOUT_MS = 10_000;

/** Options of ready(): how long to wait for the first answer of a watch. */
export interface ReadyOptions {
  /** Gives up after this long (ms); default 10 s. */
  timeoutMs?: number;
  /** Gives up when this aborts (rejects with its reason). */
  signal?: AbortSignal;
}
