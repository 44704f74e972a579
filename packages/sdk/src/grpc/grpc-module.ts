import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Grpc from '@grpc/grpc-js';
import { GrpcMismatchError, UnsupportedGrpcError } from './grpc-errors.js';

/** The parts of @grpc/grpc-js the resolver uses: the app's own copy, handed over explicitly. */
export type GrpcModule = Pick<typeof Grpc, 'experimental' | 'status'>;

/** The @grpc/grpc-js versions the resolver supports (the resolver listener of 1.14). */
export const SUPPORTED_GRPC_JS = '>=1.14.0 <1.15.0';

interface Found {
  file: string;
  version: string;
  module: GrpcModule;
}

/** The @grpc/grpc-js that code in `dir` would load, or null when none resolves from there. */
function resolveFrom(dir: string): Found | null {
  try {
    const req = createRequire(path.join(dir, 'noop.js'));
    const file = req.resolve('@grpc/grpc-js');
    let version = '?';
    for (let d = path.dirname(file); d !== path.dirname(d); d = path.dirname(d)) {
      const pkg = path.join(d, 'package.json');
      if (!fs.existsSync(pkg)) continue;
      const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
      if (json.name === '@grpc/grpc-js') {
        version = json.version ?? '?';
        break;
      }
    }
    return { file, version, module: req(file) as GrpcModule };
  } catch {
    return null;
  }
}

/**
 * Checks the grpc-js module an app hands to registerPraetorResolver(): it must be a grpc-js
 * with 1.14's resolver listener, and the same copy the app's own code resolves (from its main
 * script, else the working directory), so its channels see the `praetor` scheme. Two copies
 * (an app on another grpc-js than a library's) are the silent failure this exists to make loud.
 */
export function checkGrpcModule(grpc: unknown): GrpcModule {
  const g = grpc as Partial<GrpcModule> | null;
  if (!g || typeof g.experimental?.registerResolver !== 'function') {
    throw new TypeError('registerPraetorResolver(grpc, opts?): pass your own @grpc/grpc-js module as the first argument (import * as grpc from "@grpc/grpc-js")');
  }
  if (typeof g.experimental.statusOrFromValue !== 'function') {
    throw new UnsupportedGrpcError(`this @grpc/grpc-js predates the resolver listener of 1.14.0; Praetor's resolver supports @grpc/grpc-js ${SUPPORTED_GRPC_JS}`);
  }
  const main = process.argv[1] ? path.dirname(path.resolve(process.argv[1])) : null;
  const apps = [main, process.cwd()].filter((d): d is string => d !== null);
  for (const dir of apps) {
    const found = resolveFrom(dir);
    if (!found) continue;
    if (found.module.experimental.registerResolver !== g.experimental.registerResolver) {
      throw new GrpcMismatchError(
        `the @grpc/grpc-js passed is not the one this app loads (${found.version} at ${found.file}, resolved from ${dir}): ` +
          'channels made from that copy would not know praetor:/// and would try DNS. Pass the module your channels come from, and keep one copy installed (npm ls @grpc/grpc-js).',
      );
    }
    break;
  }
  return g as GrpcModule;
}
