import type { Node } from '../structs/node.js';
import { deregisterTx } from './deregister.js';
import type { Txn } from './txn.js';
import { casHolds, currentIndex, fail, pending, q, type PendingResult, type TxnNodeOp, type TxnOpContext } from './txn-ops-types.js';

type NodeVerb = (tx: Txn, op: TxnNodeOp, ctx: TxnOpContext) => PendingResult[];

/** Why `id` is not a UUID (as Consul words it), or undefined when it is one. */
export function uuidProblem(id: string): string | undefined {
  if (id.length !== 36) return 'uuid string is wrong length';
  if (id[8] !== '-' || id[13] !== '-' || id[18] !== '-' || id[23] !== '-') return 'uuid is improperly formatted';
  for (const ch of id.replace(/-/g, '')) {
    if (!/[0-9a-fA-F]/.test(ch)) return `encoding/hex: invalid byte: U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${ch}'`;
  }
  return undefined;
}

/** The node an operation names: by ID when it carries one (case-insensitively), else by name. */
function find(tx: Txn, op: TxnNodeOp, ctx: TxnOpContext): Node | undefined {
  const id = op.Node.ID;
  if (!id) return tx.getNode(op.Node.Node);
  const problem = uuidProblem(id);
  if (problem) fail(`node lookup by ID failed, wrong UUID: ${problem} for '${id}'`);
  const want = id.toLowerCase();
  for (const name of new Set([...tx.nodeNames(), ...ctx.nodesWritten])) {
    const n = tx.getNode(name);
    if (n?.ID.toLowerCase() === want) return n;
  }
  return undefined;
}

function result(tx: Txn, name: string): PendingResult[] {
  const current = tx.getNode(name);
  return current ? [pending('Node', current, tx.store.catalog.nodes.get(name))] : [];
}

function index(tx: Txn, name: string): number | undefined {
  return currentIndex(tx.getNode(name), tx.store.catalog.nodes.get(name));
}

function set(tx: Txn, op: TxnNodeOp, ctx: TxnOpContext): PendingResult[] {
  const { ID, Node, Address, Datacenter, TaggedAddresses, Meta } = op.Node;
  tx.putNode({ ID, Node, Address, Datacenter, TaggedAddresses, Meta });
  ctx.nodesWritten.add(Node);
  return result(tx, Node);
}

/** The Node verbs of /v1/txn. Deleting a node removes its services and checks, as deregistration does. */
const NODE_VERBS: ReadonlyMap<string, NodeVerb> = new Map<string, NodeVerb>([
  [
    'get',
    (tx, op, ctx) => {
      const n = find(tx, op, ctx);
      if (!n) fail(`node ${q(op.Node.Node)} doesn't exist`);
      return result(tx, n.Node);
    },
  ],
  ['set', set],
  [
    'cas',
    (tx, op, ctx) => {
      if (!casHolds(index(tx, op.Node.Node), op.Node.ModifyIndex)) fail(`failed to set node ${q(op.Node.Node)}, index is stale`);
      return set(tx, op, ctx);
    },
  ],
  [
    'delete',
    (tx, op) => {
      deregisterTx(tx, { Node: op.Node.Node });
      return [];
    },
  ],
  [
    'delete-cas',
    (tx, op) => {
      if (index(tx, op.Node.Node) !== op.Node.ModifyIndex) fail(`failed to delete node ${q(op.Node.Node)}, index is stale`);
      deregisterTx(tx, { Node: op.Node.Node });
      return [];
    },
  ],
]);

export function isNodeWrite(op: TxnNodeOp): boolean {
  return op.Verb !== 'get';
}

/** Checks made on every operation before any is applied: a write names a node and a well-formed ID. */
export function vetNode(op: TxnNodeOp): TxnNodeOp {
  if (!isNodeWrite(op)) return op;
  if (!op.Node.Node) fail('Must provide node');
  const problem = op.Node.ID ? uuidProblem(op.Node.ID) : undefined;
  if (problem) fail(`Bad node ID: ${problem}`);
  return op;
}

export function applyNode(tx: Txn, op: TxnNodeOp, ctx: TxnOpContext): PendingResult[] {
  const verb = NODE_VERBS.get(op.Verb);
  if (!verb) fail(`unknown Node verb ${q(op.Verb)}`);
  return verb(tx, op, ctx);
}
