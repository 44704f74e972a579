import { PraetorError } from '../errors.js';
import type { StateStore } from '../state/state-store.js';
import { Txn } from './txn.js';
import { applyKv, isKvWrite, vetKv } from './txn-ops-kv.js';
import { applyNode, isNodeWrite, vetNode } from './txn-ops-node.js';
import { applyCheck, applyService, isCheckWrite, isServiceWrite, vetCheck, vetService } from './txn-ops-service.js';
import { stamp, TxnOpFailure, type PendingResult, type TxnError, type TxnOp, type TxnOpContext, type TxnResult } from './txn-ops-types.js';

export type { TxnCheckOp, TxnError, TxnKvOp, TxnNodeOp, TxnOp, TxnResult, TxnServiceOp } from './txn-ops-types.js';

/** The most operations one transaction may carry (current Consul's limit; 1.8 allowed 64). */
export const MAX_TXN_OPS = 128;

/** True when the operation may change state; a transaction without any is answered as a read. */
export function isTxnWrite(op: TxnOp): boolean {
  if ('KV' in op) return isKvWrite(op.KV);
  if ('Node' in op) return isNodeWrite(op.Node);
  if ('Service' in op) return isServiceWrite(op.Service);
  return isCheckWrite(op.Check);
}

function vet(op: TxnOp): TxnOp {
  if ('KV' in op) return { KV: vetKv(op.KV) };
  if ('Node' in op) return { Node: vetNode(op.Node) };
  if ('Service' in op) return { Service: vetService(op.Service) };
  return { Check: vetCheck(op.Check) };
}

function apply(tx: Txn, op: TxnOp, ctx: TxnOpContext): PendingResult[] {
  if ('KV' in op) return applyKv(tx, op.KV);
  if ('Node' in op) return applyNode(tx, op.Node, ctx);
  if ('Service' in op) return applyService(tx, op.Service);
  return applyCheck(tx, op.Check);
}

/** Runs `f` for each op, collecting every failure (an op's own or a refused write) by index. */
function each<T>(ops: readonly TxnOp[], errors: TxnError[], f: (op: TxnOp) => T): Array<T | undefined> {
  return ops.map((op, i) => {
    try {
      return f(op);
    } catch (err) {
      if (!(err instanceof TxnOpFailure || err instanceof PraetorError)) throw err;
      errors.push({ OpIndex: i, What: err.message });
      return undefined;
    }
  });
}

/**
 * Runs every operation in order on one Txn, so each sees the writes of those before it. All
 * operations are vetted first; if any fails vetting, only those errors are reported and none
 * is applied. Otherwise every operation is applied and every failure collected.
 */
export function runTxnOps(tx: Txn, ops: readonly TxnOp[]): { results: PendingResult[]; errors: TxnError[] } {
  const errors: TxnError[] = [];
  const vetted = each(ops, errors, vet);
  if (errors.length > 0) return { results: [], errors };
  const ctx: TxnOpContext = { nodesWritten: new Set() };
  const results = each(vetted as TxnOp[], errors, (op) => apply(tx, op, ctx));
  return { results: errors.length > 0 ? [] : results.flatMap((r) => r ?? []), errors };
}

/** Thrown by txnTx when an operation failed: the backend then writes nothing at all. */
export class TxnRollback extends Error {
  constructor(readonly errors: TxnError[]) {
    super(`transaction rolled back: ${errors.map((e) => `op ${e.OpIndex}: ${e.What}`).join('; ')}`);
  }
}

/** An applied transaction; its results carry their indexes once the backend has committed. */
export class TxnOutcome {
  constructor(
    private readonly tx: Txn,
    private readonly pending: PendingResult[],
  ) {}

  results(): TxnResult[] {
    return this.pending.map((p) => stamp(p, this.tx.revision));
  }
}

/**
 * PUT /v1/txn with writes: every operation on the command's Txn, committed together in one
 * revision, or, if any operation fails, not at all (TxnRollback, with every error).
 */
export function txnTx(tx: Txn, ops: readonly TxnOp[]): TxnOutcome {
  const { results, errors } = runTxnOps(tx, ops);
  if (errors.length > 0) throw new TxnRollback(errors);
  return new TxnOutcome(tx, results);
}

/** A transaction of reads only: runs on a Txn that is never submitted. */
export function txnRead(store: StateStore, ops: readonly TxnOp[]): { results: TxnResult[]; errors: TxnError[] } {
  const { results, errors } = runTxnOps(new Txn(store), ops);
  return { results: results.map((p) => stamp(p, 0)), errors };
}
