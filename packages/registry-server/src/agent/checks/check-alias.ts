import type { Logger } from 'winston';
import type { CheckDefinition, HealthCheck } from '../../structs/check.js';
import type { CheckResult, CheckRunner, Report } from './check-runner.js';
import { outputMaxSize, truncateOutput } from './interval-runner.js';

/** What an alias check mirrors: a service (by ID) on a node; node '' is the agent's own node. */
export interface AliasTarget {
  node: string;
  serviceID: string;
}

/** The target's node checks at one moment, and whether the aliased service is registered there. */
export interface AliasView {
  checks: HealthCheck[];
  serviceExists: boolean;
}

/**
 * Where alias checks read their target: calls `onView` soon after follow() (never synchronously)
 * and again whenever the target's node may have changed, or with an Error when it cannot be
 * read. Returns a function that stops following.
 */
export interface AliasSource {
  follow(target: AliasTarget, onView: (view: AliasView | Error) => void): () => void;
}

/**
 * Consul's alias verdict: the target service's checks and its node's own checks (those with no
 * ServiceID) decide. Any critical one makes it critical, else any warning one warning, else it
 * passes ("No checks found." when there are none). A service that has no check and is not
 * registered is critical. Unlike Consul, other alias checks are left out: two aliases that
 * see each other (node checks of one node, or aliases of each other's services) would hold
 * each other critical for good, their outputs growing with every round.
 */
export function aliasResult(view: AliasView, target: AliasTarget): CheckResult {
  let status: CheckResult['status'] = 'passing';
  let output = 'No checks found.';
  let found = false;
  for (const c of view.checks) {
    if (c.Type === 'alias') continue;
    const ofService = c.ServiceID === target.serviceID;
    if (c.ServiceID && !ofService) continue;
    if (ofService) found = true;
    if (c.Status === 'critical' || c.Status === 'warning') {
      if (status === 'critical') continue;
      status = c.Status;
      output = `Aliased check ${JSON.stringify(c.Name)} failing: ${c.Output}`;
    } else if (status === 'passing') {
      output = 'All checks passing.';
    }
  }
  if (!found && !view.serviceExists) {
    const where = target.node ? ` on node ${target.node}` : '';
    return { status: 'critical', output: target.serviceID ? `Service ${target.serviceID} could not be found${where}` : `No checks found${where}` };
  }
  return { status, output };
}

/**
 * An alias check: follows its target through an AliasSource and reports the verdict each time
 * it may have changed (the agent writes only what differs), its output cut to OutputMaxSize (the
 * agent's check_output_max_size) as other checks' are. A target that cannot be read is reported
 * critical once that happened twice in a row, as Consul does.
 */
export class AliasRunner implements CheckRunner {
  private cancel: (() => void) | undefined;
  private failures = 0;

  constructor(
    private readonly def: CheckDefinition,
    private readonly source: AliasSource,
    private readonly report: Report,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.cancel) return;
    const target = { node: this.def.AliasNode ?? '', serviceID: this.def.AliasService ?? '' };
    this.cancel = this.source.follow(target, (view) => {
      if (view instanceof Error) {
        this.failures++;
        this.logger.warn('cannot read the aliased node or service', { error: view.message, attempt: this.failures });
        if (this.failures > 1) this.report({ status: 'critical', output: `Failure checking aliased node or service: ${view.message}` });
        return;
      }
      this.failures = 0;
      const result = aliasResult(view, target);
      this.report({ status: result.status, output: truncateOutput(result.output, outputMaxSize(this.def)) });
    });
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.failures = 0;
  }
}
