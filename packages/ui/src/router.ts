import { useEffect, useState } from 'preact/hooks';
import { encodePath } from './api/request.js';

/**
 * The UI's pages and their URLs, which are Consul's (people bookmark them and runbooks link
 * them): /ui/<dc>/services, /ui/<dc>/services/<name>[/instances], /ui/<dc>/nodes[/<node>],
 * /ui/<dc>/kv/<prefix>/, /ui/<dc>/kv/<key>/edit, /ui/<dc>/kv/[<prefix>/]create; plus
 * /ui/<dc>/sessions and /ui/settings. The agent answers every /ui/ path with the same page,
 * so each loads directly, on reload and through the browser's history.
 */
export type Route =
  | { page: 'root' }
  | { page: 'settings' }
  | { page: 'services'; dc: string }
  | { page: 'service'; dc: string; name: string }
  | { page: 'nodes'; dc: string }
  | { page: 'node'; dc: string; name: string }
  | { page: 'kv'; dc: string; prefix: string }
  | { page: 'kv-edit'; dc: string; key: string }
  | { page: 'kv-create'; dc: string; prefix: string }
  | { page: 'sessions'; dc: string }
  | { page: 'not-found' };

const BASE = '/ui/';

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function parseRoute(pathname: string): Route {
  if (!pathname.startsWith(BASE)) return { page: 'not-found' };
  const parts = pathname.slice(BASE.length).split('/').map(decode);
  const [dc, section, ...rest] = parts;
  if (!dc) return { page: 'root' };
  if (dc === 'settings' && parts.length === 1) return { page: 'settings' };
  if (!section) return { page: 'services', dc };
  const tail = rest.filter((p, i) => p !== '' || i < rest.length - 1);
  switch (section) {
    case 'services':
      if (tail.length === 0) return { page: 'services', dc };
      if (tail.length === 1 || (tail.length === 2 && tail[1] === 'instances')) return { page: 'service', dc, name: tail[0] };
      break;
    case 'nodes':
      if (tail.length === 0) return { page: 'nodes', dc };
      if (tail.length === 1) return { page: 'node', dc, name: tail[0] };
      break;
    case 'kv': {
      const path = rest.join('/');
      if (path.endsWith('/edit')) return { page: 'kv-edit', dc, key: path.slice(0, -'/edit'.length) };
      if (path === 'create' || path.endsWith('/create')) return { page: 'kv-create', dc, prefix: path.slice(0, -'create'.length) };
      return { page: 'kv', dc, prefix: path === '' || path.endsWith('/') ? path : `${path}/` };
    }
    case 'sessions':
      if (tail.length === 0) return { page: 'sessions', dc };
      break;
  }
  return { page: 'not-found' };
}

export function routeUrl(route: Route): string {
  switch (route.page) {
    case 'root':
    case 'not-found':
      return BASE;
    case 'settings':
      return `${BASE}settings`;
    case 'services':
    case 'nodes':
    case 'sessions':
      return `${BASE}${encodeURIComponent(route.dc)}/${route.page}`;
    case 'service':
      return `${BASE}${encodeURIComponent(route.dc)}/services/${encodeURIComponent(route.name)}/instances`;
    case 'node':
      return `${BASE}${encodeURIComponent(route.dc)}/nodes/${encodeURIComponent(route.name)}`;
    case 'kv':
      return `${BASE}${encodeURIComponent(route.dc)}/kv/${encodePath(route.prefix)}`;
    case 'kv-edit':
      return `${BASE}${encodeURIComponent(route.dc)}/kv/${encodePath(route.key)}/edit`;
    case 'kv-create':
      return `${BASE}${encodeURIComponent(route.dc)}/kv/${encodePath(route.prefix)}create`;
  }
}

const listeners = new Set<() => void>();

/** Goes to `route` through the browser's history (replacing the current entry when asked). */
export function navigate(route: Route, opts: { replace?: boolean } = {}): void {
  const url = routeUrl(route);
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  for (const l of listeners) l();
}

/** The current route; re-renders on navigate() and on the back and forward buttons. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
