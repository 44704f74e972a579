/**
 * Consul's `encrypt` key: base64 (standard alphabet, padded) of 16, 24 or 32 bytes. Consul uses
 * it for gossip encryption; Praetor has no gossip, and uses it to authenticate the membership
 * messages agents send each other over HTTP (message-auth.ts). It encrypts nothing.
 */
export const KEY_SIZES: readonly number[] = [16, 24, 32];

const ALPHABET = /^[A-Za-z0-9+/]$/;

/**
 * Where Go's base64.StdEncoding.DecodeString stops on `text`, as the byte offset its
 * CorruptInputError names, or -1 when the text is valid padded base64.
 */
export function base64ErrorOffset(text: string): number {
  let i = 0;
  while (i < text.length) {
    for (let j = 0; j < 4; j++) {
      if (i === text.length) return j === 0 ? -1 : i - j;
      const c = text[i++]!;
      if (ALPHABET.test(c)) continue;
      if (c !== '=' || j < 2) return i - 1;
      if (j === 2) {
        if (i === text.length) return text.length;
        if (text[i] !== '=') return i - 1;
        i++;
      }
      return i < text.length ? i : -1;
    }
  }
  return -1;
}

/**
 * Decodes and checks an `encrypt` value; throws an Error with Consul 1.8.7's wording
 * ("encrypt has invalid key: illegal base64 data at input byte N", "key size must be 16, 24
 * or 32 bytes") plus what to do.
 */
export function parseEncryptKey(text: string): Buffer {
  const bad = base64ErrorOffset(text);
  if (bad >= 0) throw new Error(`encrypt has invalid key: illegal base64 data at input byte ${bad}`);
  const key = Buffer.from(text, 'base64');
  if (!KEY_SIZES.includes(key.length)) {
    throw new Error(
      `Failed to configure keyring: key size must be 16, 24 or 32 bytes (encrypt holds ${key.length}); ` +
        "generate one with 'head -c 32 /dev/urandom | base64' (or 'consul keygen')",
    );
  }
  return key;
}
