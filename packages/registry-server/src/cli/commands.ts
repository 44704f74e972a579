import type { CliCommand } from './command.js';
import type { FlagSpecs } from './command-flags.js';
import { kvDeleteCommand } from './commands/kv-delete.js';
import { kvExportCommand } from './commands/kv-export.js';
import { kvGetCommand } from './commands/kv-get.js';
import { kvImportCommand } from './commands/kv-import.js';
import { kvPutCommand } from './commands/kv-put.js';
import { snapshotInspectCommand } from './commands/snapshot-inspect.js';
import { snapshotRestoreCommand } from './commands/snapshot-restore.js';
import { snapshotSaveCommand } from './commands/snapshot-save.js';
import { versionCommand } from './commands/version.js';
import { watchCommand } from './commands/watch.js';

/** Every `praetor` subcommand but `agent`, by name (`kv get` is a two-word name). */
export const COMMANDS: readonly CliCommand<FlagSpecs>[] = [
  versionCommand,
  kvGetCommand,
  kvPutCommand,
  kvDeleteCommand,
  kvExportCommand,
  kvImportCommand,
  watchCommand,
  snapshotSaveCommand,
  snapshotRestoreCommand,
  snapshotInspectCommand,
] as CliCommand<FlagSpecs>[];
