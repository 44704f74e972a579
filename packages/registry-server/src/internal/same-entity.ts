/** Deep equality of stored entities, ignoring CreateIndex/ModifyIndex; Buffers compare by bytes. */
export function sameEntity(a: unknown, b: unknown): boolean {
  return equal(a, b, true);
}

function equal(a: unknown, b: unknown, top: boolean): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) {
    return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => equal(x, bb[i], false));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) {
    if (top && (k === 'CreateIndex' || k === 'ModifyIndex')) continue;
    if (ao[k] === undefined && bo[k] === undefined) continue;
    if (!equal(ao[k], bo[k], false)) return false;
  }
  return true;
}
