// An in-app link: a real <a href> (open in a new tab, keyboard, screen readers) that changes the route on the
// client on a plain click.
import type { ComponentChildren } from 'preact';
import { hrefOf, navigate, type Route } from '../router.ts';

export function Link({
  to,
  children,
  class: className,
}: {
  to: Route;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <a
      href={hrefOf(to)}
      class={className}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
