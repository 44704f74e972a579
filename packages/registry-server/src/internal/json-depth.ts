/**
 * How deep a JSON body from the network may nest. Go's decoder, and so Consul, stops at 10,000;
 * Praetor's stack (decoding, comparing, hashing, storing) is not sized for that, so it stops
 * at 1,000, which no real configuration comes near.
 */
export const MAX_JSON_DEPTH = 1000;

/**
 * Go's decoder error for JSON text nested deeper than `max` (`invalid character '[' exceeded
 * max depth`), or undefined. One pass over the text, strings skipped; the text is not otherwise
 * checked (JSON.parse does that).
 */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return `invalid character '${text[i]}' exceeded max depth`;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return undefined;
}
