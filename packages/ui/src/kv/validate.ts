/** How the editor reads a value: as it is, or checked as JSON or YAML before it is saved. */
export type ValueMode = 'text' | 'json' | 'yaml';

/** The mode a stored value most likely is in: JSON when it parses as an object or array. */
export function guessMode(text: string): ValueMode {
  const t = text.trim();
  if (!/^[[{]/.test(t)) return 'text';
  try {
    JSON.parse(t);
    return 'json';
  } catch {
    return 'text';
  }
}

/**
 * Why `text` is not valid in `mode`, or null when it is. YAML's parser is loaded only when first
 * needed (a separate file of the build), so pages that never check YAML do not fetch it.
 */
export async function validationProblem(text: string, mode: ValueMode): Promise<string | null> {
  if (mode === 'text') return null;
  if (mode === 'json') {
    try {
      JSON.parse(text);
      return null;
    } catch (err) {
      return `Invalid JSON: ${(err as Error).message}`;
    }
  }
  const { parseAllDocuments } = await import('yaml');
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) return `Invalid YAML: ${doc.errors[0].message}`;
  }
  return null;
}
