// Progress lines go to stderr so stdout carries only the results table.
const t0 = Date.now();

export function progress(msg) {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(5);
  process.stderr.write(`[bench +${s}s] ${msg}\n`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
