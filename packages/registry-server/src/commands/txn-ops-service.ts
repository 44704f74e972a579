import { CHECK_STATUSES, type CheckStatus } from '../structs/check.js';
import { deregisterServiceTx } from './deregister.js';
import { ensureCheckTx, ensureServiceTx } from './register.js';
import type { Txn } from './txn.js';
import { casHolds, currentIndex, fail, pending, q, type PendingResult, type TxnCheckOp, type TxnServiceOp } from './txn-ops-types.js';

type Verb<Op> = (tx: Txn, op: Op) => PendingResult[];

/** The Service and Check verbs share one shape: get, set, cas, delete, delete-cas. */
interface Verbs<Op> {
  get(tx: Txn, op: Op): PendingResult[];
  set(tx: Txn, op: Op): PendingResult[];
  delete(tx: Txn, op: Op): void;
  /** The entity's ModifyIndex as the transaction sees it; undefined when it does not exist. */
  index(tx: Txn, op: Op): number | undefined;
  /** Names it in messages: `service "web-1" on node "n1"`. */
  what(op: Op): string;
  modifyIndex(op: Op): number;
}

function table<Op>(v: Verbs<Op>): ReadonlyMap<string, Verb<Op>> {
  return new Map<string, Verb<Op>>([
    ['get', v.get],
    ['set', v.set],
    [
      'cas',
      (tx, op) => {
        if (!casHolds(v.index(tx, op), v.modifyIndex(op))) fail(`failed to set ${v.what(op)}, index is stale`);
        return v.set(tx, op);
      },
    ],
    [
      'delete',
      (tx, op) => {
        v.delete(tx, op);
        return [];
      },
    ],
    [
      'delete-cas',
      (tx, op) => {
        if (v.index(tx, op) !== v.modifyIndex(op)) fail(`failed to delete ${v.what(op)}, index is stale`);
        v.delete(tx, op);
        return [];
      },
    ],
  ]);
}

function serviceResult(tx: Txn, node: string, id: string): PendingResult[] {
  const current = tx.getService(node, id);
  return current ? [pending('Service', current, tx.store.catalog.getService(node, id))] : [];
}

const SERVICE_VERBS = table<TxnServiceOp>({
  get: (tx, op) => {
    if (!tx.getService(op.Node, op.Service.ID)) fail(`service ${q(op.Service.ID)} on node ${q(op.Node)} doesn't exist`);
    return serviceResult(tx, op.Node, op.Service.ID);
  },
  set: (tx, op) => {
    if (!tx.getNode(op.Node)) fail('Missing node registration');
    if (!op.Service.ID) fail('failed inserting service: object missing primary index');
    const { ModifyIndex: _, ...service } = op.Service;
    ensureServiceTx(tx, op.Node, service);
    return serviceResult(tx, op.Node, op.Service.ID);
  },
  delete: (tx, op) => deregisterServiceTx(tx, op.Node, op.Service.ID),
  index: (tx, op) => currentIndex(tx.getService(op.Node, op.Service.ID), tx.store.catalog.getService(op.Node, op.Service.ID)),
  what: (op) => `service ${q(op.Service.ID)} on node ${q(op.Node)}`,
  modifyIndex: (op) => op.Service.ModifyIndex,
});

function checkResult(tx: Txn, node: string, id: string): PendingResult[] {
  const current = tx.getCheck(node, id);
  return current ? [pending('Check', current, tx.store.catalog.getCheck(node, id))] : [];
}

const CHECK_VERBS = table<TxnCheckOp>({
  get: (tx, op) => {
    const c = op.Check;
    if (!tx.getCheck(c.Node, c.CheckID)) fail(`check ${q(c.CheckID)} on node ${q(c.Node)} doesn't exist`);
    return checkResult(tx, c.Node, c.CheckID);
  },
  set: (tx, op) => {
    const c = op.Check;
    if (!tx.getNode(c.Node)) fail('Missing node registration');
    if (c.ServiceID && !tx.getService(c.Node, c.ServiceID)) fail('Missing service registration');
    if (!c.CheckID) fail('failed inserting check: object missing primary index');
    const status = c.Status || 'critical';
    if (!CHECK_STATUSES.includes(status as CheckStatus)) fail(`Invalid check status: ${q(status)}`);
    ensureCheckTx(tx, c.Node, { ...c, Status: status as CheckStatus, Type: '' });
    return checkResult(tx, c.Node, c.CheckID);
  },
  delete: (tx, op) => tx.deleteCheck(op.Check.Node, op.Check.CheckID),
  index: (tx, op) => currentIndex(tx.getCheck(op.Check.Node, op.Check.CheckID), tx.store.catalog.getCheck(op.Check.Node, op.Check.CheckID)),
  what: (op) => `check ${q(op.Check.CheckID)} on node ${q(op.Check.Node)}`,
  modifyIndex: (op) => op.Check.ModifyIndex,
});

export const isServiceWrite = (op: TxnServiceOp) => op.Verb !== 'get';
export const isCheckWrite = (op: TxnCheckOp) => op.Verb !== 'get';

/** Before anything is applied: a written service's ID defaults to its name, and an ID needs a name. */
export function vetService(op: TxnServiceOp): TxnServiceOp {
  if (!isServiceWrite(op)) return op;
  const s = op.Service;
  if (!s.ID && s.Service) return { ...op, Service: { ...s, ID: s.Service } };
  if (s.ID && !s.Service) fail('Must provide service name with ID');
  return op;
}

/** Before anything is applied: a written check's ID defaults to its name. */
export function vetCheck(op: TxnCheckOp): TxnCheckOp {
  if (!isCheckWrite(op) || op.Check.CheckID) return op;
  return { ...op, Check: { ...op.Check, CheckID: op.Check.Name } };
}

export function applyService(tx: Txn, op: TxnServiceOp): PendingResult[] {
  const verb = SERVICE_VERBS.get(op.Verb);
  if (!verb) fail(`unknown Service verb ${q(op.Verb)}`);
  return verb(tx, op);
}

export function applyCheck(tx: Txn, op: TxnCheckOp): PendingResult[] {
  const verb = CHECK_VERBS.get(op.Verb);
  if (!verb) fail(`unknown Check verb ${q(op.Verb)}`);
  return verb(tx, op);
}
