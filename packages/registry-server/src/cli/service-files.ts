import fs from 'node:fs';
import { normalizeService } from '../agent/service-definition.js';
import { readConfigSources } from '../config/config-file.js';
import type { Definition } from '../config/layer.js';
import { HCL_UNSUPPORTED } from '../config/values.js';
import { PraetorError } from '../errors.js';
import { CliError } from './command.js';

/**
 * The service definitions in JSON config files (`{"service": {...}}` or `{"services": [...]}`),
 * read as the agent reads its -config-file: keys in any case or snake_case, unknown keys refused.
 * Each definition is checked as the agent would check it, so a bad one fails the command before
 * anything is registered. HCL files are refused with a clear message.
 */
export function servicesFromFiles(files: readonly string[]): Definition[] {
  const hcl = files.find((f) => f.endsWith('.hcl'));
  if (hcl) throw new CliError(`Error: config file ${JSON.stringify(hcl)}: ${HCL_UNSUPPORTED}`);
  for (const f of files) {
    try {
      fs.statSync(f);
    } catch (err) {
      throw new CliError(`Error: cannot read ${JSON.stringify(f)}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
    }
  }
  let defs: Definition[];
  try {
    defs = readConfigSources(files, 'json').layer.services ?? [];
  } catch (err) {
    if (err instanceof PraetorError) throw new CliError(`Error: ${err.message}`);
    throw err;
  }
  if (defs.length === 0) throw new CliError(`Error: no service definitions ("service" or "services") in ${files.join(', ')}`);
  return defs;
}

/** Checks one definition as the agent will; a problem is a CliError naming where it came from. */
export function checkDefinition(def: Definition): void {
  try {
    normalizeService(def.value, { scriptsAllowed: true });
  } catch (err) {
    if (err instanceof PraetorError) throw new CliError(`Error: ${def.origin}: ${err.message}`);
    throw err;
  }
}
