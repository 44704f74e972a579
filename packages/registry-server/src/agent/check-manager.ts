import type { Logger } from 'winston';
import type { Backend } from '../backend/backend.js';
import { checkUpdateTx } from '../commands/check-update.js';
import type { StateStore } from '../state/state-store.js';
import { WatchSet } from '../state/watch-set.js';
import { sameEntity } from '../internal/same-entity.js';
import type { HealthCheck } from '../structs/check.js';
import type { AliasSource } from './checks/check-alias.js';
import type { CheckResult, CheckRunner } from './checks/check-runner.js';
import { createRunner } from './checks/create-runner.js';
import type { TtlRunner } from './checks/check-ttl.js';
import { HeldOutputs } from './checks/held-outputs.js';
import { outputMaxSize } from './checks/interval-runner.js';
import type { OwnedCheck, OwnedChecks } from './owned-checks.js';

/** The check types an agent runs. */
export const RUNNABLE_CHECK_TYPES: ReadonlySet<string> = new Set(['http', 'tcp', 'grpc', 'script', 'docker', 'ttl', 'alias']);

interface Running {
  fingerprint: string;
  runner: CheckRunner;
}

/** The agent's settings for check outputs (read on every use: discard_check_output is reloadable). */
export interface CheckOutputSettings {
  /** check_update_interval (ms): how long an output-only change may wait (HeldOutputs); 0: none. */
  updateIntervalMs: number;
  /** discard_check_output: every result is stored with an empty output. */
  discard: boolean;
  /** check_output_max_size (bytes): the most output any check keeps; a check's OutputMaxSize may only lower it. */
  maxSize: number;
}

/**
 * Keeps one runner per check this agent registered itself and runs, following the store: a
 * check registered, changed or removed (by the API, a config file or a restart) starts,
 * restarts or stops its runner. Only a catalog check whose type and definition are what the
 * agent recorded (OwnedChecks) runs, with the recorded definition; any other check on the
 * node (written through catalog/register, a txn or a snapshot restore) is data: never run,
 * its status left as its writer set it. A script check the flags no longer allow is not run
 * either (`refusal`). Results are written only when status or output changed, as the output
 * settings say: an output-only change waits (check_update_interval, see HeldOutputs), outputs
 * may be discarded, and are cut to check_output_max_size. Also tracks since when each running
 * check has been critical, for the reaper.
 */
export class CheckManager {
  private readonly running = new Map<string, Running>();
  readonly criticalSince = new Map<string, number>();
  private cancelWatch: (() => void) | null = null;
  private stopped = false;
  private readonly held: HeldOutputs;

  constructor(
    private readonly store: StateStore,
    private readonly backend: Backend,
    private readonly node: string,
    private readonly owned: OwnedChecks,
    /** Why an owned check may not run now (the script-check flags), or undefined. */
    private readonly refusal: (checkID: string, own: OwnedCheck) => string | undefined,
    /** Where alias checks read the node or service they mirror. */
    private readonly aliases: AliasSource,
    private readonly log: Logger,
    private readonly outputs: () => CheckOutputSettings,
  ) {
    this.held = new HeldOutputs(() => this.outputs().updateIntervalMs, (id, r) => void this.record(id, r));
  }

  /** Checks not run, with the fingerprint last reported, so each refusal is logged once. */
  private readonly refused = new Map<string, string>();

  start(): void {
    this.stopped = false;
    this.reconcile();
  }

  private watch(): void {
    const ws = new WatchSet();
    ws.add(`node:${this.node}`, 'checks');
    this.cancelWatch = this.store.watches.wait(ws, () => {
      if (!this.stopped) this.reconcile();
    });
  }

  /** Looks again at every check: after the script-check flags changed. */
  refresh(): void {
    if (this.stopped) return;
    this.cancelWatch?.();
    this.reconcile();
  }

  private reconcile(): void {
    const checks = this.store.catalog.nodeChecks(this.node);
    const seen = new Set<string>();
    const now = Date.now();
    for (const c of checks) {
      if (!RUNNABLE_CHECK_TYPES.has(c.Type)) continue;
      const own = this.owned.get(c.CheckID);
      const fingerprint = `${c.Type} ${JSON.stringify(c.Definition)}`;
      const mine = own !== undefined && own.Type === c.Type && sameEntity(own.Definition, c.Definition);
      const why = mine ? this.refusal(c.CheckID, own) : notRegistered();
      if (why !== undefined) {
        if (this.refused.get(c.CheckID) !== fingerprint) {
          this.refused.set(c.CheckID, fingerprint);
          this.log.log(mine ? 'error' : 'warn', `not running check ${JSON.stringify(c.CheckID)}: ${why}`, { check: c.CheckID, type: c.Type });
        }
        // The agent's own check it may not run is critical, saying why; another's is left as written.
        if (mine) void this.write(c.CheckID, { status: 'critical', output: `Not run: ${why}` });
        continue;
      }
      this.refused.delete(c.CheckID);
      seen.add(c.CheckID);
      if (c.Status === 'critical') {
        if (!this.criticalSince.has(c.CheckID)) this.criticalSince.set(c.CheckID, now);
      } else {
        this.criticalSince.delete(c.CheckID);
      }
      const cur = this.running.get(c.CheckID);
      if (cur?.fingerprint === fingerprint) continue;
      cur?.runner.stop();
      // The agent's own definition runs, never the catalog's (they are equal here), its output limit within the agent's.
      const limit = Math.min(outputMaxSize(own!.Definition), this.outputs().maxSize);
      let runner: CheckRunner;
      try {
        runner = createRunner(own!.Type, { ...own!.Definition, OutputMaxSize: limit }, (r) => this.write(c.CheckID, r), this.log.child({ check: c.CheckID }), this.aliases);
      } catch (err) {
        this.running.delete(c.CheckID);
        this.log.error(`cannot run check ${JSON.stringify(c.CheckID)}: ${(err as Error).message}; register it again`, { check: c.CheckID });
        continue;
      }
      this.running.set(c.CheckID, { fingerprint, runner });
      runner.start();
      this.log.debug('check runner started', { check: c.CheckID, type: c.Type });
    }
    for (const [id, cur] of this.running) {
      if (seen.has(id)) continue;
      cur.runner.stop();
      this.running.delete(id);
      this.held.drop(id);
    }
    for (const id of this.criticalSince.keys()) if (!seen.has(id)) this.criticalSince.delete(id);
    const present = new Set(checks.map((c) => c.CheckID));
    for (const id of this.refused.keys()) if (!present.has(id)) this.refused.delete(id);
    this.watch();
  }

  /** The TTL runner of a check, for pass/warn/fail/update. */
  ttl(checkID: string): TtlRunner | undefined {
    const cur = this.running.get(checkID);
    return cur?.fingerprint.startsWith('ttl ') ? (cur.runner as TtlRunner) : undefined;
  }

  /** The output an output-only change holds back for a check, if any: what the agent's own endpoints show. */
  heldOutput(checkID: string): string | undefined {
    return this.held.output(checkID);
  }

  /** Writes a result if it differs from what the catalog holds, unless only the output changed and it is held back. */
  async write(checkID: string, result: CheckResult): Promise<void> {
    const r = this.outputs().discard ? { status: result.status, output: '' } : result;
    const c: HealthCheck | undefined = this.store.catalog.getCheck(this.node, checkID);
    if (!c) return;
    if (c.Status === r.status && c.Output === r.output) {
      this.held.drop(checkID);
      return;
    }
    if (this.held.hold(checkID, c, r)) return;
    await this.record(checkID, r);
  }

  /** Writes a result (its time came) if the check is still there and differs. */
  private async record(checkID: string, r: CheckResult): Promise<void> {
    const c: HealthCheck | undefined = this.store.catalog.getCheck(this.node, checkID);
    if (!c || (c.Status === r.status && c.Output === r.output)) return;
    try {
      await this.backend.submit((tx) => checkUpdateTx(tx, { Node: this.node, CheckID: checkID, Status: r.status, Output: r.output }));
    } catch (err) {
      if (!this.stopped) this.log.warn('could not record a check result', { check: checkID, error: (err as Error).message });
    }
  }

  stop(): void {
    this.stopped = true;
    this.refused.clear();
    this.held.clear();
    this.cancelWatch?.();
    for (const cur of this.running.values()) cur.runner.stop();
    this.running.clear();
  }
}

function notRegistered(): string {
  return (
    'this agent did not register it (it was written through catalog/register, /v1/txn or a snapshot restore, or changed there); ' +
    `it is kept as data with the status its writer set. To have this agent run it, register it with PUT /v1/agent/check/register`
  );
}
