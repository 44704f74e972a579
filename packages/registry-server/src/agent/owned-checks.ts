import fs from 'node:fs/promises';
import type { Logger } from 'winston';
import type { CheckDefinition, CheckType } from '../structs/check.js';
import { writeFileDurably } from '../internal/durable-file.js';
import { Serial } from '../internal/serial.js';

/** Where the agent accepted a check from: its config files, or its own /v1/agent/* API. */
export type CheckSource = 'file' | 'api';

/** A check this agent registered itself: the definition it validated and accepted. */
export interface OwnedCheck {
  source: CheckSource;
  Type: CheckType;
  Definition: CheckDefinition;
}

const SOURCES: readonly string[] = ['file', 'api'];

/**
 * The agent's own record of the checks it registered (CheckID → accepted definition), kept
 * apart from the catalog: the catalog is data anyone can write (catalog/register, txn, a
 * snapshot restore), this record is what the agent agreed to run. With a data dir it lives
 * in `file`, replaced durably on every change and read at start; in -dev, in memory.
 * Changes are saved one at a time, in call order.
 */
export class OwnedChecks {
  private readonly checks = new Map<string, OwnedCheck>();
  private readonly saves = new Serial();

  constructor(
    private readonly file: string | undefined,
    private readonly log: Logger,
  ) {}

  /**
   * Reads the record kept before a restart. Resolves false when there was none to read (a
   * first start, -dev, or a damaged record, which is set aside as `<file>.corrupt-<ms>` and reported).
   */
  async load(): Promise<boolean> {
    if (!this.file) return false;
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new Error(`cannot read the record of this agent's checks (${this.file}): ${(err as Error).message}; fix its permissions and start again`);
    }
    try {
      const parsed = JSON.parse(text) as { checks?: Record<string, unknown> };
      if (!parsed || typeof parsed.checks !== 'object' || parsed.checks === null) throw new Error('no "checks" object');
      for (const [id, v] of Object.entries(parsed.checks)) {
        const e = v as Partial<OwnedCheck>;
        if (!e || !SOURCES.includes(e.source as string) || typeof e.Type !== 'string' || typeof e.Definition !== 'object' || e.Definition === null) {
          throw new Error(`bad entry for check ${JSON.stringify(id)}`);
        }
        this.checks.set(id, { source: e.source!, Type: e.Type, Definition: e.Definition });
      }
      return true;
    } catch (err) {
      this.checks.clear();
      const aside = `${this.file}.corrupt-${Date.now()}`;
      await fs.rename(this.file, aside);
      this.log.error(
        `the record of the checks this agent registered is damaged (${(err as Error).message}); it was moved to ${aside}. ` +
          'Checks registered over /v1/agent/* that the script-check flags allow are adopted again from the catalog; check GET /v1/agent/checks',
        { file: this.file },
      );
      return false;
    }
  }

  get(checkID: string): OwnedCheck | undefined {
    return this.checks.get(checkID);
  }

  /** The recorded check IDs from one source. */
  ids(source: CheckSource): string[] {
    return [...this.checks].filter(([, e]) => e.source === source).map(([id]) => id);
  }

  /**
   * Records `put` before `write` runs (a crash between the two must not leave a check the
   * agent registered unowned), then forgets the IDs `removeAfter` names once it succeeded. If
   * `write` fails, what `put` replaced is put back.
   */
  async around<T>(put: Array<[string, OwnedCheck]>, write: () => Promise<T>, removeAfter: () => Iterable<string> = () => []): Promise<T> {
    const previous = put.map(([id]) => [id, this.checks.get(id)] as const);
    await this.update(put);
    let result: T;
    try {
      result = await write();
    } catch (err) {
      const back = previous.filter((p): p is readonly [string, OwnedCheck] => p[1] !== undefined).map(([id, e]) => [id, e] as [string, OwnedCheck]);
      await this.update(back, previous.filter(([, e]) => e === undefined).map(([id]) => id)).catch(() => undefined);
      throw err;
    }
    await this.update([], removeAfter());
    return result;
  }

  /** Records `put` and forgets `remove`; resolves once the record is durable (at once in -dev). */
  update(put: Iterable<[string, OwnedCheck]>, remove: Iterable<string> = []): Promise<void> {
    for (const id of remove) this.checks.delete(id);
    for (const [id, e] of put) this.checks.set(id, { source: e.source, Type: e.Type, Definition: e.Definition });
    if (!this.file) return Promise.resolve();
    const file = this.file;
    return this.saves.run(() => writeFileDurably(file, JSON.stringify({ checks: Object.fromEntries(this.checks) })));
  }
}
