/**
 * JSON as Go's encoder writes it: `<`, `>`, `&` and the JS line separators escaped even inside
 * strings, so output compares byte for byte with Consul's. `indent` '' is compact.
 */
export function goJson(value: unknown, indent: string): string {
  return JSON.stringify(value, null, indent || undefined).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
