import type yargsParser from 'yargs-parser';

/**
 * yargs-parser set up for Go's flag syntax, which Consul's agent and commands use: -flag and
 * --flag alike, no short-option groups or camel-case copies, values kept as text, repeated
 * flags collected, and parsing stops at the first argument that is not a flag.
 */
export const GO_FLAG_SYNTAX: Partial<yargsParser.Configuration> = {
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
};
