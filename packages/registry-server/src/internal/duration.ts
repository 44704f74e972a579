/**
 * Go duration strings ("300ms", "1.5h", "2h45m", "-1s") as Consul parses them, in milliseconds
 * (fractions of a millisecond are kept). A bare number is not a duration, except "0".
 */
const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** The largest time.Duration (2^63 - 1 ns), in milliseconds. */
export const MAX_DURATION_MS = 9_223_372_036_854.775807;

const PART = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

export function parseDuration(text: string): number {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw new Error(`invalid duration "${text}"`);
  let total = 0;
  while (s.length > 0) {
    const m = PART.exec(s);
    if (!m) {
      const hint = /^\d+$/.test(s) ? ' (missing unit, e.g. "10s")' : '';
      throw new Error(`invalid duration "${text}"${hint}`);
    }
    total += Number(m[1]) * UNITS[m[2]];
    s = s.slice(m[0].length);
  }
  // Go's time.Duration is an int64 of nanoseconds (about 292 years); its parser refuses more.
  if (total > MAX_DURATION_MS) throw new Error(`invalid duration "${text}"`);
  return sign * total;
}

/** Formats milliseconds the way Go prints a time.Duration ("1m30s", "500ms", "0s"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  let out: string;
  if (rest < 1000) {
    out = `${trim(rest)}ms`;
  } else {
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const m = Math.floor(rest / 60_000);
    rest -= m * 60_000;
    const s = rest / 1000;
    out = `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${trim(s)}s`;
  }
  return neg ? `-${out}` : out;
}

function trim(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}
