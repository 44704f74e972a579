// Public API of @praetor/test-support: named exports only.
export { within, freePort } from './within.js';
export { codeBlocks, type CodeBlock } from './code-blocks.js';
