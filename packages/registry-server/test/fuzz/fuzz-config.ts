/**
 * How much the fuzz suite runs. `npm test` runs the bounded defaults; `npm run fuzz` sets
 * PRAETOR_FUZZ_RUNS (HTTP requests) and PRAETOR_FUZZ_CRASHES (kill -9 iterations). A failure
 * prints its seed; PRAETOR_FUZZ_SEED=<seed> replays the same requests.
 */
export interface FuzzConfig {
  requests: number;
  crashes: number;
  seed: number;
  /** Requests in flight at once (keep-alive connections). */
  concurrency: number;
}

function positive(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

export function fuzzConfig(): FuzzConfig {
  const seedText = process.env.PRAETOR_FUZZ_SEED;
  const seed = seedText ? Number(seedText) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  if (!Number.isSafeInteger(seed)) throw new Error(`PRAETOR_FUZZ_SEED must be an integer, got ${JSON.stringify(seedText)}`);
  return {
    requests: positive('PRAETOR_FUZZ_RUNS', 3000),
    crashes: positive('PRAETOR_FUZZ_CRASHES', 20),
    seed,
    concurrency: positive('PRAETOR_FUZZ_CONCURRENCY', 16),
  };
}

/** A one-line replay hint for failure messages. */
export function replayHint(what: string, seed: number): string {
  return `${what} failed with PRAETOR_FUZZ_SEED=${seed}; replay: PRAETOR_FUZZ_SEED=${seed} npx mocha --no-config --exit --timeout 0 packages/registry-server/dist/test/fuzz/<file>.test.js`;
}

/** Progress on stderr (the mocha reporter owns stdout). */
export function progress(line: string): void {
  process.stderr.write(`[fuzz] ${line}\n`);
}
