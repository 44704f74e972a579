import yargsParser from 'yargs-parser';

/** One flag: `bool` (-x, -x=false), `string`, `uint` or `strings` (repeatable). */
export type FlagSpec =
  | { type: 'bool'; usage: string; default?: boolean }
  | { type: 'string'; usage: string; arg?: string; default?: string }
  | { type: 'uint'; usage: string; arg?: string; default?: number }
  | { type: 'strings'; usage: string; arg?: string };

export type FlagSpecs = Record<string, FlagSpec>;

type FlagValue<S extends FlagSpec> = S extends { type: 'bool' }
  ? boolean
  : S extends { type: 'strings' }
    ? string[]
    : S extends { type: 'uint' }
      ? S extends { default: number }
        ? number
        : number | undefined
      : S extends { default: string }
        ? string
        : string | undefined;

export type ParsedFlags<F extends FlagSpecs> = { [K in keyof F]: FlagValue<F[K]> };

/** A command line the command cannot take; printed with the command's usage, exit 1. */
export class UsageError extends Error {}

/**
 * Parses a command's arguments with Go's flag syntax, as Consul's commands do: -flag, --flag,
 * -flag=value, -flag value, booleans as -flag or -flag=false; parsing stops at the first
 * argument that is not a flag (or at `--`), so flags come before positional arguments.
 */
export function parseCommandFlags<F extends FlagSpecs>(argv: readonly string[], specs: F): { flags: ParsedFlags<F>; args: string[] } {
  const names = Object.keys(specs);
  const parsed = yargsParser.detailed([...argv], {
    boolean: names.filter((n) => specs[n]!.type === 'bool'),
    string: names.filter((n) => specs[n]!.type !== 'bool'),
    configuration: {
      'short-option-groups': false,
      'camel-case-expansion': false,
      'dot-notation': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'boolean-negation': false,
      'duplicate-arguments-array': true,
      'flatten-duplicate-arrays': true,
      'greedy-arrays': false,
      'halt-at-non-option': true,
    },
  });
  if (parsed.error) throw new UsageError(parsed.error.message);
  const flags: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.type === 'bool') flags[name] = spec.default ?? false;
    else if (spec.type === 'strings') flags[name] = [];
    else flags[name] = spec.default;
  }
  for (const [name, raw] of Object.entries(parsed.argv)) {
    if (name === '_' || name === '--') continue;
    const spec = specs[name];
    if (!spec) throw new UsageError(`flag provided but not defined: -${name}`);
    const values = Array.isArray(raw) ? raw : [raw];
    // A value flag last on the line has no value to take.
    if (spec.type !== 'bool' && /^--?[^=]+$/.test(argv[argv.length - 1] ?? '') && argv[argv.length - 1]!.replace(/^--?/, '') === name) {
      throw new UsageError(`flag needs an argument: -${name}`);
    }
    flags[name] = convert(name, spec, values);
  }
  const args = [...parsed.argv._.map(String), ...((parsed.argv['--'] as string[] | undefined) ?? [])];
  return { flags: flags as ParsedFlags<F>, args };
}

function convert(name: string, spec: FlagSpec, values: unknown[]): unknown {
  switch (spec.type) {
    case 'bool': {
      const v = values[values.length - 1];
      if (typeof v === 'boolean') return v;
      throw new UsageError(`invalid boolean value ${JSON.stringify(String(v))} for -${name}`);
    }
    case 'strings':
      return values.map(String);
    case 'uint': {
      const text = String(values[values.length - 1]);
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
        throw new UsageError(`invalid value ${JSON.stringify(text)} for flag -${name}: parse error`);
      }
      return Number(text);
    }
    default:
      return String(values[values.length - 1]);
  }
}

/** The `Command Options` part of a command's help. */
export function flagsHelp(specs: FlagSpecs): string {
  return Object.entries(specs)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, spec]) => {
      const arg = spec.type === 'bool' ? '' : `=<${spec.arg ?? (spec.type === 'uint' ? 'uint' : 'string')}>`;
      return `  -${name}${arg}\n${wrap(spec.usage, '     ')}\n`;
    })
    .join('\n');
}

function wrap(text: string, indent: string, width = 80): string {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(/\s+/)) {
    if (line.length + word.length + 1 > width && line.trim()) {
      lines.push(line);
      line = indent;
    }
    line += (line.trim() ? ' ' : '') + word;
  }
  if (line.trim()) lines.push(line);
  return lines.join('\n');
}
