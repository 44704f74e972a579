// Public API of @praetor/registry-server, for embedding the registry in a program or a test.
export { main } from './main.js';
export { StateStore } from './state/state-store.js';
export type { AgentConfig } from './config/agent-config.js';
export { PraetorError, ERROR_CODES } from './errors.js';
