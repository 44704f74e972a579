import type { ComponentChildren } from 'preact';
import { navigate, routeUrl, type Route } from '../router.js';

/** A real link (opens in a new tab, copies) that moves within the page on a plain click. */
export function Link(props: { to: Route; children: ComponentChildren; class?: string; current?: boolean }) {
  const onClick = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.to);
  };
  return (
    <a href={routeUrl(props.to)} onClick={onClick} class={props.class} aria-current={props.current ? 'page' : undefined}>
      {props.children}
    </a>
  );
}
