// Bundles src/ into dist/: index.html plus content-hashed JS and CSS under dist/assets/, so the
// agent can let browsers cache the assets for good and revalidate only index.html.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
await rm(dist, { recursive: true, force: true });
await mkdir(path.join(dist, 'assets'), { recursive: true });

const result = await build({
  entryPoints: [path.join(here, 'src/main.tsx'), path.join(here, 'src/style.css')],
  outdir: path.join(dist, 'assets'),
  entryNames: '[name]-[hash]',
  // YAML's parser is imported dynamically (src/kv/validate.ts): a chunk of its own, fetched on demand.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'esm',
  target: ['es2020'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  logLevel: 'warning',
});

const entry = (suffix) => {
  const [file] = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint?.endsWith(suffix));
  return path.basename(file);
};
const js = entry('src/main.tsx');
const css = entry('src/style.css');
const template = await readFile(path.join(here, 'src/index.html'), 'utf8');
await writeFile(path.join(dist, 'index.html'), template.replace('%CSS%', `/ui/assets/${css}`).replace('%JS%', `/ui/assets/${js}`));
