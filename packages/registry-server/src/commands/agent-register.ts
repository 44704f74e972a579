import type { Txn } from './txn.js';
import { ensureCheckTx, ensureServiceTx, type CheckInput, type ServiceInput } from './register.js';

/**
 * /v1/agent/service/register on the agent's own node: the service and its checks in one write.
 * A check that exists already keeps its status unless the definition sets one (so an
 * idempotent re-registration does not flap a passing check); with replaceExistingChecks the
 * service's checks that are not in the definition are removed.
 */
export function agentRegisterServiceTx(tx: Txn, node: string, service: ServiceInput, checks: CheckInput[], replaceExistingChecks: boolean): void {
  ensureServiceTx(tx, node, service);
  if (replaceExistingChecks) {
    const keep = new Set(checks.map((c) => c.CheckID));
    for (const c of tx.nodeChecks(node)) {
      if (c.ServiceID === service.ID && !keep.has(c.CheckID) && c.Type !== 'maintenance') tx.deleteCheck(node, c.CheckID);
    }
  }
  for (const c of checks) agentRegisterCheckTx(tx, node, c);
}

/** /v1/agent/check/register: keeps the status and output of a check re-registered with the same type. */
export function agentRegisterCheckTx(tx: Txn, node: string, c: CheckInput): void {
  const existing = tx.getCheck(node, c.CheckID);
  if (existing && existing.Type === c.Type && !c.explicitStatus) {
    ensureCheckTx(tx, node, { ...c, Status: existing.Status, Output: existing.Output });
  } else {
    ensureCheckTx(tx, node, c);
  }
}
