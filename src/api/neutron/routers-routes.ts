// `/v2.0/routers[/{id}]`, `PUT /v2.0/routers/{id}/add_router_interface|remove_router_interface` and
// `add_extraroutes|remove_extraroutes` (identity-networking-v1.md §2, extraroute-atomic). Routers are records,
// their extra routes too (Sluice routes nothing): the seeds attach one before allocating floating IPs.
// A gateway on an external network takes the admin or the router's owner; interfaces take the router's owner.
import type { FastifyInstance } from 'fastify';
import { SluiceError } from '../../errors.ts';
import type { AuthContext } from '../../identity/auth-context.ts';
import type { ExtraRoute, Router } from '../../model/router.ts';
import type { Db } from '../../store/database.ts';
import { getPort, getSubnet } from '../../store/repositories/network-repository.ts';
import {
  addRouterInterface,
  removeRouterInterface,
} from '../../store/repositories/router-interface-repository.ts';
import {
  createRouter,
  deleteRouter,
  getRouter,
  listRouters,
  routerNotFound,
  updateRouter,
} from '../../store/repositories/router-repository.ts';
import type { ApiContext } from '../context.ts';
import { caller } from '../plugins/auth.ts';
import { readJson } from '../wire/read-body.ts';
import {
  addExtraRoutes,
  checkedRoutes,
  checkInterfaceNotRouted,
  extraRoutes,
  removeExtraRoutes,
} from './extra-routes.ts';
import { externalGatewayInfo } from './l3-validators.ts';
import { interfaceInfoToWire, routerToWire } from './l3-wire.ts';
import { type AttributeMap, type Attributes, attr, parseAttributes, readResource } from './neutron-body.ts';
import { itemPath, NEUTRON_ROUTE, queryOf } from './neutron-http.ts';
import { filterList, projectOne } from './neutron-list.ts';
import { owningProject, owns, policyDenied, visibility } from './neutron-policy.ts';
import { tagged, taggedAll } from './neutron-tags.ts';
import { bool, str, uuid } from './neutron-validators.ts';

const readOnly = { post: false, put: false, convert: str() } as const;

export const ROUTER_ATTRIBUTES: AttributeMap = {
  id: { post: false, put: false, convert: uuid },
  name: { post: 'optional', put: true, convert: str(255) },
  description: { post: 'optional', put: true, convert: str(255) },
  tenant_id: { post: 'optional', put: false, convert: str(255) },
  project_id: { post: 'optional', put: false, convert: str(255) },
  admin_state_up: { post: 'optional', put: true, convert: bool },
  external_gateway_info: { post: 'optional', put: true, convert: externalGatewayInfo },
  status: readOnly,
  routes: { post: false, put: true, convert: extraRoutes },
  tags: readOnly,
  created_at: readOnly,
  updated_at: readOnly,
};

export async function visibleRouter(db: Db, auth: AuthContext, id: string): Promise<Router> {
  const router = await getRouter(db, id);
  if (!router || !owns(auth, router.projectId)) throw routerNotFound(id);
  return router;
}

/** The body of add/remove_router_interface: exactly one of subnet_id and port_id (Neutron's rule). */
function interfaceTarget(body: unknown): { subnetId?: string; portId?: string } {
  const dict = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const bad = (detail: string) => new SluiceError('network.http-bad-request', { detail }, 'BadRequest');
  const subnetId = dict.subnet_id;
  const portId = dict.port_id;
  if (subnetId === undefined && portId === undefined) {
    throw bad('Bad router request: Either subnet_id or port_id must be specified.');
  }
  if (subnetId !== undefined && portId !== undefined) {
    throw bad('Bad router request: Cannot specify both subnet-id and port-id.');
  }
  const check = (value: unknown) => {
    if (typeof value !== 'string' || !/^[0-9a-f-]{36}$/i.test(value)) {
      throw bad(`Bad router request: '${String(value)}' is not a valid UUID.`);
    }
    return value.toLowerCase();
  };
  return subnetId !== undefined ? { subnetId: check(subnetId) } : { portId: check(portId) };
}

export function registerRouterRoutes(app: FastifyInstance, context: ApiContext, prefix: string): void {
  const db = context.store.db;
  const routersPath = `${prefix}/routers`;

  app.get(routersPath, NEUTRON_ROUTE, async (request) => {
    const routers = await listRouters(db, visibility(caller(request)));
    return { routers: filterList(await taggedAll(db, routers.map(routerToWire)), queryOf(request)) };
  });

  app.post(routersPath, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const attributes = parseAttributes(ROUTER_ATTRIBUTES, readResource(request, 'router'), 'POST');
    const router = await createRouter(db, {
      projectId: owningProject(auth, attributes),
      name: attr(attributes, 'name'),
      description: attr(attributes, 'description'),
      adminStateUp: attr(attributes, 'admin_state_up'),
      externalGateway: attr(attributes, 'external_gateway_info'),
    });
    return reply.code(201).send({ router: await tagged(db, routerToWire(router)) });
  });

  app.get(itemPath(prefix, 'routers'), NEUTRON_ROUTE, async (request) => {
    const router = await visibleRouter(db, caller(request), (request.params as { id: string }).id);
    return { router: projectOne(await tagged(db, routerToWire(router)), queryOf(request)) };
  });

  app.put(itemPath(prefix, 'routers'), NEUTRON_ROUTE, async (request) => {
    const auth = caller(request);
    const router = await visibleRouter(db, auth, (request.params as { id: string }).id);
    const attributes = parseAttributes(ROUTER_ATTRIBUTES, readResource(request, 'router'), 'PUT');
    const updated = await updateRouter(db, router.id, {
      name: attr(attributes, 'name'),
      description: attr(attributes, 'description'),
      adminStateUp: attr(attributes, 'admin_state_up'),
      externalGateway: attr(attributes, 'external_gateway_info'),
      ...(Object.hasOwn(attributes, 'routes') && { routes: replaceRoutes(attributes) }),
    });
    return { router: await tagged(db, routerToWire(updated)) };
  });

  app.delete(itemPath(prefix, 'routers'), NEUTRON_ROUTE, async (request, reply) => {
    const router = await visibleRouter(db, caller(request), (request.params as { id: string }).id);
    await deleteRouter(db, router.id);
    return reply.code(204).send();
  });

  for (const action of ['add_router_interface', 'remove_router_interface'] as const) {
    app.put(`${routersPath}/:id/${action}`, NEUTRON_ROUTE, async (request) => {
      const auth = caller(request);
      const router = await visibleRouter(db, auth, (request.params as { id: string }).id);
      let body: unknown;
      try {
        body = readJson(request);
      } catch {
        throw new SluiceError('network.http-bad-request', { detail: 'Malformed request body' });
      }
      const target = interfaceTarget(body);
      if (action === 'remove_router_interface') await checkNotRouted(router, target);
      // The subnet or port must be the caller's own (Neutron: the network owner's policy).
      if (target.subnetId) {
        const subnet = await getSubnet(db, target.subnetId);
        if (!subnet || !owns(auth, subnet.projectId)) {
          throw new SluiceError(
            'network.not-found',
            { kind: 'Subnet', id: target.subnetId },
            'SubnetNotFound',
          );
        }
      } else if (target.portId && action === 'add_router_interface') {
        const port = await getPort(db, target.portId);
        if (!port || !owns(auth, port.projectId)) throw policyDenied(`${action}`);
      }
      const info =
        action === 'add_router_interface'
          ? await addRouterInterface(db, router.id, target)
          : await removeRouterInterface(db, router.id, target);
      return interfaceInfoToWire(info);
    });
  }

  // extraroute-atomic: `{"router": {"routes": [...]}}` merged into or taken out of the current routes in one
  // transaction; the whole result is then checked as a PUT of `routes` would be, and the router answered.
  const edits = { add_extraroutes: addExtraRoutes, remove_extraroutes: removeExtraRoutes } as const;
  for (const [action, edit] of Object.entries(edits)) {
    app.put(`${routersPath}/:id/${action}`, NEUTRON_ROUTE, async (request) => {
      const router = await visibleRouter(db, caller(request), (request.params as { id: string }).id);
      const given = routesOf(readResource(request, 'router'));
      const updated = await updateRouter(db, router.id, {
        routes: checkedRoutes((current) => edit(current, given)),
      });
      return { router: await tagged(db, routerToWire(updated)) };
    });
  }

  /** The subnet(s) an interface removal would unplug must not carry a route's nexthop. */
  async function checkNotRouted(router: Router, target: { subnetId?: string; portId?: string }) {
    const port = target.portId === undefined ? undefined : await getPort(db, target.portId);
    const subnetIds = target.subnetId ? [target.subnetId] : (port?.fixedIps ?? []).map((ip) => ip.subnetId);
    for (const id of subnetIds) {
      const subnet = await getSubnet(db, id);
      if (subnet) checkInterfaceNotRouted(router, subnet);
    }
  }
}

const replaceRoutes = (attributes: Attributes) => {
  const routes = attr<ExtraRoute[]>(attributes, 'routes') ?? [];
  return checkedRoutes(() => routes);
};

/** The `routes` of an add/remove_extraroutes body, validated as the attribute is. */
function routesOf(resource: Record<string, unknown>): ExtraRoute[] {
  if (!Object.hasOwn(resource, 'routes')) {
    throw new SluiceError('network.http-bad-request', {
      detail: "Failed to parse request. Required attribute 'routes' not specified",
    });
  }
  return attr<ExtraRoute[]>(
    parseAttributes({ routes: ROUTER_ATTRIBUTES.routes }, resource, 'PUT'),
    'routes',
  )!;
}
