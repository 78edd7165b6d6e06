// A router's `routes` attribute (extension `extraroute`): the converter with neutron-lib's
// validate_hostroutes / validate_route_cidr messages, the nexthop checks and the merges of
// `extraroute-atomic` (neutron/db/extraroute_db.py). Sluice installs no route: they are records.
// https://opendev.org/openstack/neutron-lib/src/branch/master/neutron_lib/api/validators/__init__.py
import { SluiceError } from '../../errors.ts';
import { cidrContains, parseCidr, parseIp } from '../../model/ipam.ts';
import type { ExtraRoute, Router } from '../../model/router.ts';
import type { RouterConnections, RoutesEdit } from '../../store/repositories/router-repository.ts';
import { pyStr } from '../wire/py-str.ts';
import { type Convert, InvalidAttribute } from './neutron-validators.ts';

const KEYS = ['destination', 'nexthop'] as const;

const invalid = (reason: string): never => {
  throw new InvalidAttribute(reason);
};

/** Python's repr of a set of strings (the order of a Python set is arbitrary; sorted here). */
const pySet = (items: readonly string[]): string =>
  `{${[...items]
    .sort()
    .map((k) => `'${k}'`)
    .join(', ')}}`;

/** validate_route_cidr: a CIDR with a prefix and no host bits, and not a loopback network. */
function routeCidr(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  const cidr = /\s/.test(text) ? undefined : parseCidr(text);
  const address = cidr && parseIp(text.slice(0, text.indexOf('/')));
  if (!cidr || !address || address.value !== cidr.network)
    return invalid(`'${pyStr(value)}' is not a valid CIDR`);
  const loopback = cidr.version === 4 ? cidr.prefix >= 8 && cidr.network >> 24n === 127n : text === '::1/128';
  if (loopback) return invalid(`'${pyStr(value)}' is not a routable CIDR`);
  return text;
}

/** `routes`: null is [] (convert_none_to_empty_list), then validate_hostroutes. */
export const extraRoutes: Convert = (value): ExtraRoute[] => {
  if (value === null) return [];
  if (!Array.isArray(value)) return invalid(`Invalid data format for hostroute: '${pyStr(value)}'`);
  const routes: ExtraRoute[] = [];
  for (const item of value as unknown[]) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      return invalid(`Invalid input. '${pyStr(item)}' must be a dictionary with keys: ${pyStr([...KEYS])}`);
    }
    const given = Object.keys(item);
    if (given.length !== KEYS.length || !KEYS.every((key) => given.includes(key))) {
      return invalid(
        `Validation of dictionary's keys failed. Expected keys: ${pySet(KEYS)} Provided keys: ${pySet(given)}`,
      );
    }
    const dict = item as Record<string, unknown>;
    const destination = routeCidr(dict.destination);
    if (typeof dict.nexthop !== 'string' || !parseIp(dict.nexthop)) {
      return invalid(`'${pyStr(dict.nexthop)}' is not a valid IP address`);
    }
    const route = { destination, nexthop: dict.nexthop };
    if (routes.some((r) => r.destination === route.destination && r.nexthop === route.nexthop)) {
      return invalid(`Duplicate hostroute '${pyStr(route)}'`);
    }
    routes.push(route);
  }
  return routes;
};

/** Union by (destination, nexthop); exact duplicates merge, grouped by destination as Neutron's dict does. */
export function addExtraRoutes(old: readonly ExtraRoute[], add: readonly ExtraRoute[]): ExtraRoute[] {
  return grouped([...old, ...add]);
}

/** The old routes without the removed ones; removing a missing route is not an error. */
export function removeExtraRoutes(old: readonly ExtraRoute[], remove: readonly ExtraRoute[]): ExtraRoute[] {
  const gone = (r: ExtraRoute) =>
    remove.some((x) => x.destination === r.destination && x.nexthop === r.nexthop);
  return grouped(old.filter((r) => !gone(r)));
}

function grouped(routes: readonly ExtraRoute[]): ExtraRoute[] {
  const byDestination = new Map<string, Set<string>>();
  for (const { destination, nexthop } of routes) {
    const nexthops = byDestination.get(destination) ?? new Set<string>();
    nexthops.add(nexthop);
    byDestination.set(destination, nexthops);
  }
  return [...byDestination].flatMap(([destination, nexthops]) =>
    [...nexthops].map((nexthop) => ({ destination, nexthop })),
  );
}

/** An edit of the router's routes that Neutron's _validate_routes_nexthop accepts (else 400 InvalidRoutes). */
export function checkedRoutes(next: (current: readonly ExtraRoute[]) => ExtraRoute[]): RoutesEdit {
  return (current, connected) => {
    const routes = next(current);
    checkNexthops(routes, connected);
    return routes;
  };
}

/** Each nexthop inside a subnet of the router's ports and not one of their addresses; the fault names them all. */
function checkNexthops(routes: readonly ExtraRoute[], connected: RouterConnections): void {
  const invalidRoutes = (reason: string) => {
    const detail = `Invalid format for routes: ${pyStr(routes)}, ${reason}`;
    return new SluiceError('network.http-bad-request', { detail }, 'InvalidRoutes');
  };
  for (const { nexthop } of routes) {
    if (!connected.cidrs.some((cidr) => cidrContains(cidr, nexthop))) {
      throw invalidRoutes('the nexthop is not connected with router');
    }
    if (connected.addresses.includes(nexthop)) throw invalidRoutes('the nexthop is used by router');
  }
}

/** A subnet a route's nexthop needs keeps its interface (409, _confirm_router_interface_not_in_use). */
export function checkInterfaceNotRouted(
  router: Router,
  subnet: Readonly<{ id: string; cidr: string }>,
): void {
  if (!router.routes.some((route) => cidrContains(subnet.cidr, route.nexthop))) return;
  const detail = `Router interface for subnet ${subnet.id} on router ${router.id} cannot be deleted, as it is required by one or more routes.`;
  throw new SluiceError('network.in-use', { detail }, 'RouterInterfaceInUseByRoute');
}
