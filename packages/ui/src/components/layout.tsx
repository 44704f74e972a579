import type { ComponentChildren } from 'preact';
import type { Route } from '../router.js';
import { ConnectionBanner } from './connection-banner.js';
import { DcSwitcher } from './dc-switcher.js';
import { Link } from './link.js';

type Section = 'services' | 'nodes' | 'kv' | 'sessions';

function sectionOf(route: Route): Section | null {
  switch (route.page) {
    case 'services':
    case 'service':
      return 'services';
    case 'nodes':
    case 'node':
      return 'nodes';
    case 'kv':
    case 'kv-edit':
    case 'kv-create':
      return 'kv';
    case 'sessions':
      return 'sessions';
    default:
      return null;
  }
}

/** The frame of every page: navigation, the datacenter, the connection banner. */
export function Layout(props: { route: Route; dc: string; children: ComponentChildren }) {
  const section = sectionOf(props.route);
  const dc = props.dc;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Praetor</span>
        <DcSwitcher dc={dc} section={section ?? 'services'} />
        <nav aria-label="Main">
          <Link to={{ page: 'services', dc }} current={section === 'services'}>
            Services
          </Link>
          <Link to={{ page: 'nodes', dc }} current={section === 'nodes'}>
            Nodes
          </Link>
          <Link to={{ page: 'kv', dc, prefix: '' }} current={section === 'kv'}>
            Key/Value
          </Link>
          <Link to={{ page: 'sessions', dc }} current={section === 'sessions'}>
            Sessions
          </Link>
          <Link to={{ page: 'settings' }} current={props.route.page === 'settings'}>
            Settings
          </Link>
        </nav>
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}
