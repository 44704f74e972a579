import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (from docs/dist/test/). */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The Markdown files users read: every README and docs/*.md (their links and code blocks are tested). */
export const MARKDOWN_FILES: readonly string[] = [
  'README.md',
  'packages/sdk/README.md',
  'packages/sd-loadbalancer/README.md',
  'packages/test-support/README.md',
  'examples/arithmetic/README.md',
  'examples/hello-grpc/README.md',
  ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
];
