import { useEffect, useState } from 'preact/hooks';
import { ApiError, request } from './api/request.js';
import { Failure } from './components/failure.js';
import { Layout } from './components/layout.js';
import { KvCreatePage } from './kv/kv-create-page.js';
import { KvEditPage } from './kv/kv-edit-page.js';
import { KvFolderPage } from './kv/kv-folder-page.js';
import { NodePage } from './pages/node-page.js';
import { NodesPage } from './pages/nodes-page.js';
import { ServicePage } from './pages/service-page.js';
import { ServicesPage } from './pages/services-page.js';
import { SessionsPage } from './pages/sessions-page.js';
import { SettingsPage } from './pages/settings-page.js';
import { navigate, useRoute, type Route } from './router.js';

/** The agent's own datacenter (GET /v1/agent/self), where /ui/ leads. */
function useLocalDc(): { dc?: string; error?: ApiError } {
  const [state, setState] = useState<{ dc?: string; error?: ApiError }>({});
  useEffect(() => {
    request<{ Config: { Datacenter: string } }>('agent/self')
      .then((a) => setState({ dc: a.body.Config.Datacenter }))
      .catch((err) => setState({ error: err instanceof ApiError ? err : new ApiError(0, 'the agent cannot be reached') }));
  }, []);
  return state;
}

function pageTitle(r: Route): string {
  switch (r.page) {
    case 'service':
    case 'node':
      return r.name;
    case 'kv-edit':
      return r.key;
    case 'kv':
      return r.prefix || 'Key/Value';
    case 'kv-create':
      return 'New key';
    case 'services':
    case 'nodes':
    case 'sessions':
    case 'settings':
      return r.page[0].toUpperCase() + r.page.slice(1);
    default:
      return 'Praetor';
  }
}

function Page(props: { route: Route }) {
  const r = props.route;
  switch (r.page) {
    case 'services':
      return <ServicesPage dc={r.dc} />;
    case 'service':
      return <ServicePage key={r.name} dc={r.dc} name={r.name} />;
    case 'nodes':
      return <NodesPage dc={r.dc} />;
    case 'node':
      return <NodePage key={r.name} dc={r.dc} name={r.name} />;
    case 'kv':
      return <KvFolderPage key={r.prefix} dc={r.dc} prefix={r.prefix} />;
    case 'kv-edit':
      return <KvEditPage key={r.key} dc={r.dc} keyName={r.key} />;
    case 'kv-create':
      return <KvCreatePage key={r.prefix} dc={r.dc} prefix={r.prefix} />;
    case 'sessions':
      return <SessionsPage dc={r.dc} />;
    case 'settings':
      return <SettingsPage />;
    default:
      return (
        <section>
          <h1>Page not found</h1>
          <p>There is no page at {location.pathname}.</p>
        </section>
      );
  }
}

export function App() {
  const route = useRoute();
  const local = useLocalDc();
  useEffect(() => {
    if (route.page === 'root' && local.dc) navigate({ page: 'services', dc: local.dc }, { replace: true });
  }, [route.page, local.dc]);
  useEffect(() => {
    document.title = `${pageTitle(route)} · Praetor`;
    // Moves keyboard and screen-reader focus to the new page's content.
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname]);
  const dc = 'dc' in route ? route.dc : local.dc;
  if (!dc || route.page === 'root') return local.error ? <Failure error={local.error} what="the agent" /> : <p class="muted">Loading…</p>;
  return (
    <Layout route={route} dc={dc}>
      <Page route={route} />
    </Layout>
  );
}
