import fs from 'node:fs/promises';
import type { Logger } from 'winston';
import type { Backend } from '../backend/backend.js';
import { writeFileDurably } from '../internal/durable-file.js';
import { Serial } from '../internal/serial.js';
import { definedIds, syncConfigTx, type ConfigDefinitions, type DefinedIds, type SyncSummary } from '../commands/agent-sync-config.js';

/**
 * Keeps the agent's file-defined services and checks in step with its config files, at start
 * and on every reload. The agent's services live in the catalog with those registered over
 * HTTP, so this remembers which IDs came from files; with a data dir it keeps them in
 * `file` too. File definitions are not persisted themselves (as in Consul): after a restart
 * the files are read again, and what the files defined before and no longer do is removed,
 * even if it was removed while the agent was down. Syncs run one at a time, in call order.
 */
export class ConfigSync {
  private defined: DefinedIds = { services: [], checks: [] };
  private readonly serial = new Serial();

  constructor(
    private readonly backend: Backend,
    private readonly node: string,
    /** Where the IDs are kept across restarts; none in -dev. */
    private readonly file: string | undefined,
    private readonly log: Logger,
  ) {}

  /** Reads the IDs the files defined before a restart; a missing or unreadable record is an empty one. */
  async load(): Promise<void> {
    if (!this.file) return;
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn('cannot read the record of file-defined services', { file: this.file, error: (err as Error).message });
      return;
    }
    try {
      const v = JSON.parse(text) as Partial<DefinedIds>;
      const strings = (a: unknown) => (Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : []);
      this.defined = { services: strings(v.services), checks: strings(v.checks) };
    } catch (err) {
      this.log.warn('ignoring a corrupt record of file-defined services', { file: this.file, error: (err as Error).message });
    }
  }

  /** Syncs to `desired` (and `nodeMeta`, when given) in one write; throws, changing nothing, if the write is refused. */
  apply(desired: ConfigDefinitions, nodeMeta?: Record<string, string>): Promise<SyncSummary> {
    return this.serial.run(() => this.run(desired, nodeMeta));
  }

  private async run(desired: ConfigDefinitions, nodeMeta?: Record<string, string>): Promise<SyncSummary> {
    const previous = this.defined;
    const next = definedIds(desired);
    // Recorded before the write as well: a crash between the two must not leave a file-defined service unknown.
    await this.save(union(previous, next));
    let summary: SyncSummary;
    try {
      summary = await this.backend.submit((tx) => syncConfigTx(tx, this.node, desired, previous, nodeMeta));
    } catch (err) {
      await this.save(previous).catch(() => undefined);
      throw err;
    }
    this.defined = next;
    await this.save(next);
    return summary;
  }

  private async save(ids: DefinedIds): Promise<void> {
    if (!this.file) return;
    await writeFileDurably(this.file, JSON.stringify(ids));
  }
}

function union(a: DefinedIds, b: DefinedIds): DefinedIds {
  return { services: [...new Set([...a.services, ...b.services])], checks: [...new Set([...a.checks, ...b.checks])] };
}
