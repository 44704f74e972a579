import type { CliCommand } from './command.js';
import type { FlagSpecs } from './command-flags.js';
import { catalogDatacentersCommand } from './commands/catalog-datacenters.js';
import { catalogNodesCommand } from './commands/catalog-nodes.js';
import { catalogServicesCommand } from './commands/catalog-services.js';
import { configDeleteCommand } from './commands/config-delete.js';
import { configListCommand } from './commands/config-list.js';
import { configReadCommand } from './commands/config-read.js';
import { configWriteCommand } from './commands/config-write.js';
import { devClusterCommand } from './commands/dev-cluster.js';
import { forceLeaveCommand } from './commands/force-leave.js';
import { infoCommand } from './commands/info.js';
import { joinCommand } from './commands/join.js';
import { kvDeleteCommand } from './commands/kv-delete.js';
import { kvExportCommand } from './commands/kv-export.js';
import { kvGetCommand } from './commands/kv-get.js';
import { kvImportCommand } from './commands/kv-import.js';
import { kvPutCommand } from './commands/kv-put.js';
import { leaveCommand } from './commands/leave.js';
import { lockCommand } from './commands/lock.js';
import { maintCommand } from './commands/maint.js';
import { membersCommand } from './commands/members.js';
import { operatorRaftListPeersCommand } from './commands/operator-raft-list-peers.js';
import { reloadCommand } from './commands/reload.js';
import { servicesDeregisterCommand } from './commands/services-deregister.js';
import { servicesRegisterCommand } from './commands/services-register.js';
import { snapshotInspectCommand } from './commands/snapshot-inspect.js';
import { snapshotRestoreCommand } from './commands/snapshot-restore.js';
import { snapshotSaveCommand } from './commands/snapshot-save.js';
import { versionCommand } from './commands/version.js';
import { watchCommand } from './commands/watch.js';

/** Every `praetor` subcommand but `agent`, by name (`kv get` is a two-word name). */
export const COMMANDS: readonly CliCommand<FlagSpecs>[] = [
  versionCommand,
  membersCommand,
  joinCommand,
  leaveCommand,
  forceLeaveCommand,
  reloadCommand,
  infoCommand,
  maintCommand,
  catalogDatacentersCommand,
  catalogNodesCommand,
  catalogServicesCommand,
  configWriteCommand,
  configReadCommand,
  configListCommand,
  configDeleteCommand,
  servicesRegisterCommand,
  servicesDeregisterCommand,
  lockCommand,
  kvGetCommand,
  kvPutCommand,
  kvDeleteCommand,
  kvExportCommand,
  kvImportCommand,
  watchCommand,
  snapshotSaveCommand,
  snapshotRestoreCommand,
  snapshotInspectCommand,
  operatorRaftListPeersCommand,
  devClusterCommand,
] as CliCommand<FlagSpecs>[];
