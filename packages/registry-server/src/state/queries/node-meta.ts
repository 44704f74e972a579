import type { Node } from '../../structs/node.js';

/** `?node-meta=k:v` (repeatable): every pair must match the node's Meta. */
export type NodeMetaFilter = ReadonlyArray<readonly [string, string]>;

export function nodeMetaMatches(node: Node | undefined, filter: NodeMetaFilter | undefined): boolean {
  if (!filter || filter.length === 0) return true;
  if (!node) return false;
  return filter.every(([k, v]) => node.Meta[k] === v);
}
