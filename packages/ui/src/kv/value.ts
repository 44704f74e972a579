/** A KV value as the API carries it (base64, or null for none), made readable. */
export type DecodedValue = { text: string } | { binary: string; size: number };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeValue(base64: string | null): DecodedValue {
  if (!base64) return { text: '' };
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { binary: base64, size: bytes.length };
  }
}
