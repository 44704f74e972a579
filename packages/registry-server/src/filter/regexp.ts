import { RE2JS } from 're2js';

/** A regex refused at compile time; the message is Go's (`error parsing regexp: ...`). */
export class RegexSyntaxError extends Error {}

export interface GoRegex {
  test(s: string): boolean;
}

/**
 * Compiles a `matches` pattern with RE2 semantics, which are Go's regexp (Consul's filters run
 * Go's regexp): linear-time matching, so no pattern can stall the server, and Go's syntax
 * errors word for word.
 */
export function compileGoRegex(source: string): GoRegex {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (err) {
    throw new RegexSyntaxError(goMessage((err as Error).message));
  }
  // Go before 1.22 (Consul 1.8.7's) knows only (?P<name>...) for named groups.
  if (Object.keys(re.namedGroups()).length > 0 && /\(\?<[^=!]/.test(source)) throw new RegexSyntaxError(PERL_SYNTAX);
  return { test: (s) => re.matcher(s).find() };
}

const PERL_SYNTAX = 'error parsing regexp: invalid or unsupported Perl syntax: `(?<`';

/** The two messages where RE2JS's wording differs from the Go that Consul 1.8.7 runs. */
function goMessage(message: string): string {
  if (message.startsWith('error parsing regexp: invalid named capture: `(?<')) return PERL_SYNTAX;
  if (message === 'error parsing regexp: trailing backslash at end of expression') return `${message}: \`\``;
  return message;
}
