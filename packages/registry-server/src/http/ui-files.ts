import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { UI_DIR } from '@praetor/ui';
import { NotFoundError } from '../errors.js';
import type { Api, Route } from './api.js';
import type { ApiRequest } from './api-request.js';
import type { Reply } from './reply.js';

/**
 * The web UI (packages/ui, built into static files) at /ui/, when `-ui` / `ui_config.enabled`
 * (on in -dev). Files under /ui/assets/ carry a content hash in their names, so browsers keep
 * them for a year without asking again; every other /ui/ path is the single page
 * (index.html), which the browser revalidates with its ETag, so deep links and reloads of
 * /ui/<dc>/services/<name> work and a new build shows at the next load.
 */

interface UiFile {
  body: Buffer;
  gzip: Buffer;
  type: string;
  etag: string;
  cacheControl: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** index.html and assets/<name> → file; read once, on the first /ui/ request. */
let files: Map<string, UiFile> | null = null;
/** Set when they could not be read: logged once, then each request is a 404 saying so. */
let missing: string | null = null;

function load(dir: string): Map<string, UiFile> {
  const out = new Map<string, UiFile>();
  const add = (name: string, cacheControl: string) => {
    const body = readFileSync(path.join(dir, name));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    const type = TYPES[path.extname(name)] ?? 'application/octet-stream';
    out.set(name, { body, gzip: gzipSync(body), type, etag, cacheControl });
  };
  add('index.html', REVALIDATE);
  for (const name of readdirSync(path.join(dir, 'assets'))) add(`assets/${name}`, IMMUTABLE);
  return out;
}

function uiFiles(api: Api): Map<string, UiFile> {
  if (!files && missing === null) {
    try {
      files = load(UI_DIR);
    } catch (err) {
      missing = `The web UI is not built (${UI_DIR}): run npm run build`;
      api.log.error('the web UI files cannot be read; build them with `npm run build` and restart the agent', { dir: UI_DIR, error: (err as Error).message });
    }
  }
  if (!files) throw new NotFoundError(missing!);
  return files;
}

function serve(req: ApiRequest, file: UiFile): Reply {
  const gzip = /\bgzip\b/.test(req.header('accept-encoding') ?? '');
  // Each encoding is its own representation, with its own tag.
  const etag = gzip ? `${file.etag.slice(0, -1)}-gz"` : file.etag;
  const headers: Record<string, string> = { 'Cache-Control': file.cacheControl, ETag: etag, Vary: 'Accept-Encoding', 'X-Content-Type-Options': 'nosniff' };
  if (req.header('if-none-match')?.split(/\s*,\s*/).includes(etag)) return { status: 304, headers };
  if (gzip) headers['Content-Encoding'] = 'gzip';
  return { body: gzip ? file.gzip : file.body, contentType: file.type, headers };
}

const redirect = (location: string): Reply => ({ status: 301, headers: { Location: location } });

function uiDisabled(): never {
  throw new NotFoundError('The web UI is off: start the agent with -ui (or ui_config.enabled = true)');
}

export const uiRoutes: Route[] = [
  // As Consul: `/` leads to the UI when it is on, and otherwise says what answers here.
  { path: '/', methods: { GET: (_req, api) => (api.config.uiEnabled ? redirect('/ui/') : { body: 'Consul Agent', contentType: 'text/plain; charset=utf-8' }) } },
  { path: '/ui', methods: { GET: (_req, api) => (api.config.uiEnabled ? redirect('/ui/') : uiDisabled()) } },
  {
    path: '/ui/',
    prefix: true,
    methods: {
      GET: (req, api) => {
        if (!api.config.uiEnabled) uiDisabled();
        const all = uiFiles(api);
        if (req.param.startsWith('assets/')) {
          const file = all.get(req.param);
          if (!file) throw new NotFoundError(`No such UI file: ${req.param}`);
          return serve(req, file);
        }
        return serve(req, all.get('index.html')!);
      },
    },
  },
];
