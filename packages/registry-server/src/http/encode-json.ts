/**
 * JSON for responses. Plain JSON.stringify unless the value holds a bigint (KV flags above
 * 2^53), which is then written as a bare number, exactly, as Consul writes a uint64.
 */
export function encodeJson(value: unknown, pretty: boolean): string {
  try {
    return pretty ? JSON.stringify(value, null, 4) : JSON.stringify(value);
  } catch (err) {
    if (!(err instanceof TypeError) || !/BigInt/i.test(err.message)) throw err;
    const marked = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `\u0000u64:${v}` : v), pretty ? 4 : undefined);
    return marked.replace(/"\\u0000u64:(\d+)"/g, '$1');
  }
}
