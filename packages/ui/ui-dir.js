import { fileURLToPath } from 'node:url';

/** The folder of the built UI: index.html and the content-hashed files under assets/. */
export const UI_DIR = fileURLToPath(new URL('./dist/', import.meta.url));
