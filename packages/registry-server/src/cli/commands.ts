import type { CliCommand } from './command.js';
import type { FlagSpecs } from './command-flags.js';
import { lockCommand } from './commands/lock.js';
import { versionCommand } from './commands/version.js';

/** Every `praetor` subcommand but `agent`, by name (`kv get` is a two-word name). */
export const COMMANDS: readonly CliCommand<FlagSpecs>[] = [lockCommand, versionCommand] as CliCommand<FlagSpecs>[];
