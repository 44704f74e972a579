import type { AgentConfig } from '../config/agent-config.js';
import type { CheckSource } from './owned-checks.js';

/** The check types that run commands, and so need the script-check flags (a docker check runs its Args in a container). */
export const SCRIPT_TYPES: ReadonlySet<string> = new Set(['script', 'docker']);

export type ScriptFlags = Pick<AgentConfig, 'enableScriptChecks' | 'enableLocalScriptChecks'>;

/**
 * Why the script-check flags do not allow a script check from `source` to run, or undefined
 * when they do: one registered over the HTTP API needs enable_script_checks, one from the
 * config files enable_script_checks or enable_local_script_checks (as in Consul).
 */
export function scriptRefusal(checkID: string, source: CheckSource, flags: ScriptFlags): string | undefined {
  if (source === 'api' && !flags.enableScriptChecks) {
    return `script check ${JSON.stringify(checkID)} was registered over the HTTP API but enable_script_checks is off; set enable_script_checks to true and register it again to run it`;
  }
  if (source === 'file' && !flags.enableScriptChecks && !flags.enableLocalScriptChecks) {
    return `script check ${JSON.stringify(checkID)} is defined in the config files but enable_script_checks and enable_local_script_checks are off; set enable_local_script_checks to true and reload to run it`;
  }
  return undefined;
}
