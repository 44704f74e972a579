/**
 * Runs `pass` one at a time: a call while a pass runs does not start another at once but makes
 * exactly one more pass follow (any number of such calls fold into that one), so what changed
 * meanwhile is seen. The returned function resolves when the pass it started ends, or at once
 * when the call was folded. `pass` handles its own errors.
 */
export function foldedPasses(pass: () => Promise<void>): () => Promise<void> {
  let busy = false;
  let again = false;
  const run = async (): Promise<void> => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      await pass();
    } finally {
      busy = false;
      if (again) {
        again = false;
        void run();
      }
    }
  };
  return run;
}
