// The dashboard's routes on the client (History API): paths below /dashboard/, which the API answers with
// index.html (src/api/dashboard/routes.ts), so a reload or a shared link opens the same page.
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/dashboard';

export type Route =
  | { page: 'list' }
  | { page: 'create' }
  | { page: 'admin' }
  | { page: 'certificates' }
  | { page: 'loadbalancer'; id: string };

export function routeOf(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const lb = /^\/loadbalancers\/([^/]+)\/?$/.exec(rest);
  if (lb) return { page: 'loadbalancer', id: decodeURIComponent(lb[1]) };
  if (/^\/create\/?$/.test(rest)) return { page: 'create' };
  if (/^\/admin\/?$/.test(rest)) return { page: 'admin' };
  if (/^\/certificates\/?$/.test(rest)) return { page: 'certificates' };
  return { page: 'list' };
}

export const hrefOf = (route: Route): string =>
  route.page === 'list'
    ? `${BASE}/`
    : route.page === 'loadbalancer'
      ? `${BASE}/loadbalancers/${encodeURIComponent(route.id)}`
      : `${BASE}/${route.page}`;

export function navigate(route: Route): void {
  history.pushState(null, '', hrefOf(route));
  dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location.pathname));
  useEffect(() => {
    const changed = () => setRoute(routeOf(location.pathname));
    addEventListener('popstate', changed);
    return () => removeEventListener('popstate', changed);
  }, []);
  return route;
}
