import type { Logger } from 'winston';
import type { Backend } from '../backend/backend.js';
import { checkUpdateTx } from '../commands/check-update.js';
import type { StateStore } from '../state/state-store.js';
import { WatchSet } from '../state/watch-set.js';
import type { HealthCheck } from '../structs/check.js';
import type { CheckResult, CheckRunner } from './checks/check-runner.js';
import { createRunner } from './checks/create-runner.js';
import type { TtlRunner } from './checks/check-ttl.js';

const RUNNABLE = new Set(['http', 'tcp', 'grpc', 'script', 'ttl']);

interface Running {
  fingerprint: string;
  runner: CheckRunner;
}

/**
 * Keeps one runner per runnable check on the agent's node, following the store: a check
 * registered, changed or removed (by the API, a config file or a restart) starts, restarts or
 * stops its runner. Results are written only when status or output changed. Also tracks since
 * when each check has been critical, for the reaper.
 */
export class CheckManager {
  private readonly running = new Map<string, Running>();
  readonly criticalSince = new Map<string, number>();
  private cancelWatch: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly store: StateStore,
    private readonly backend: Backend,
    private readonly node: string,
    private readonly log: Logger,
  ) {}

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

  private reconcile(): void {
    const checks = this.store.catalog.nodeChecks(this.node);
    const seen = new Set<string>();
    const now = Date.now();
    for (const c of checks) {
      seen.add(c.CheckID);
      if (c.Status === 'critical') {
        if (!this.criticalSince.has(c.CheckID)) this.criticalSince.set(c.CheckID, now);
      } else {
        this.criticalSince.delete(c.CheckID);
      }
      if (!RUNNABLE.has(c.Type)) continue;
      const fingerprint = `${c.Type} ${JSON.stringify(c.Definition)}`;
      const cur = this.running.get(c.CheckID);
      if (cur?.fingerprint === fingerprint) continue;
      cur?.runner.stop();
      const runner = createRunner(c.Type, c.Definition, (r) => this.write(c.CheckID, r), this.log.child({ check: c.CheckID }));
      this.running.set(c.CheckID, { fingerprint, runner });
      runner.start();
      this.log.debug('check runner started', { check: c.CheckID, type: c.Type });
    }
    for (const [id, cur] of this.running) {
      if (seen.has(id)) continue;
      cur.runner.stop();
      this.running.delete(id);
    }
    for (const id of this.criticalSince.keys()) if (!seen.has(id)) this.criticalSince.delete(id);
    this.watch();
  }

  /** The TTL runner of a check, for pass/warn/fail/update. */
  ttl(checkID: string): TtlRunner | undefined {
    const cur = this.running.get(checkID);
    return cur?.fingerprint.startsWith('ttl ') ? (cur.runner as TtlRunner) : undefined;
  }

  /** Writes a result if it differs from what the catalog holds. */
  async write(checkID: string, r: CheckResult): Promise<void> {
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
    this.cancelWatch?.();
    for (const cur of this.running.values()) cur.runner.stop();
    this.running.clear();
  }
}
