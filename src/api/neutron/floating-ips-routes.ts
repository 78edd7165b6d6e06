// `/v2.0/floatingips[/{id}]` (identity-networking-v1.md §2): allocate from an external network, associate
// with a port (PUT port_id), disassociate (port_id null), free. When the port is a load balancer's VIP, the
// store bumps that load balancer's revision in the same transaction and the change feed wakes its data plane,
// which then answers on the floating address too.
import type { FastifyInstance } from 'fastify';
import type { AuthContext } from '../../identity/auth-context.ts';
import { type FloatingIp, floatingIpStatus } from '../../model/router.ts';
import type { Db } from '../../store/database.ts';
import {
  createFloatingIp,
  deleteFloatingIp,
  floatingIpNotFound,
  getFloatingIp,
  listFloatingIps,
  updateFloatingIp,
} from '../../store/repositories/floating-ip-repository.ts';
import {
  getNetwork,
  getPort,
  networkNotFound,
  portNotFound,
} from '../../store/repositories/network-repository.ts';
import type { ApiContext } from '../context.ts';
import { caller } from '../plugins/auth.ts';
import { optionalAddress, optionalUuid } from './l3-validators.ts';
import { floatingIpToWire } from './l3-wire.ts';
import { type AttributeMap, type Attributes, attr, parseAttributes, readResource } from './neutron-body.ts';
import { itemPath, NEUTRON_ROUTE, queryOf } from './neutron-http.ts';
import { filterList, projectOne } from './neutron-list.ts';
import { canSeeNetwork, owningProject, owns, visibility } from './neutron-policy.ts';
import { tagged, taggedAll } from './neutron-tags.ts';
import { ip, str, uuid } from './neutron-validators.ts';

const readOnly = { post: false, put: false, convert: str() } as const;

export const FLOATING_IP_ATTRIBUTES: AttributeMap = {
  id: { post: false, put: false, convert: uuid },
  floating_network_id: { post: 'required', put: false, convert: uuid },
  floating_ip_address: { post: 'optional', put: false, convert: ip },
  subnet_id: { post: 'optional', put: false, convert: uuid },
  port_id: { post: 'optional', put: true, convert: optionalUuid },
  fixed_ip_address: { post: 'optional', put: true, convert: optionalAddress },
  tenant_id: { post: 'optional', put: false, convert: str(255) },
  project_id: { post: 'optional', put: false, convert: str(255) },
  description: { post: 'optional', put: true, convert: str(255) },
  router_id: readOnly,
  status: readOnly,
  tags: readOnly,
  created_at: readOnly,
  updated_at: readOnly,
};

const toWire = (fip: FloatingIp) => floatingIpToWire(fip, floatingIpStatus(fip));

export async function visibleFloatingIp(db: Db, auth: AuthContext, id: string): Promise<FloatingIp> {
  const fip = await getFloatingIp(db, id);
  if (!fip || !owns(auth, fip.projectId)) throw floatingIpNotFound(id);
  return fip;
}

/** Only a port the caller owns may receive a floating IP (a port of another project is "not found"). */
async function checkPortOwned(db: Db, auth: AuthContext, attributes: Attributes): Promise<void> {
  const portId = attr<string | null>(attributes, 'port_id');
  if (!portId) return;
  const port = await getPort(db, portId);
  if (!port || !owns(auth, port.projectId)) throw portNotFound(portId);
}

export function registerFloatingIpRoutes(app: FastifyInstance, context: ApiContext, prefix: string): void {
  const db = context.store.db;
  const fipsPath = `${prefix}/floatingips`;
  const notify = (ids: readonly string[]) => {
    for (const id of ids) context.changes.notify(id);
  };

  app.get(fipsPath, NEUTRON_ROUTE, async (request) => {
    const fips = await listFloatingIps(db, visibility(caller(request)));
    return { floatingips: filterList(await taggedAll(db, fips.map(toWire)), queryOf(request)) };
  });

  app.post(fipsPath, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const attributes = parseAttributes(FLOATING_IP_ATTRIBUTES, readResource(request, 'floatingip'), 'POST');
    const networkId = attributes.floating_network_id as string;
    const network = await getNetwork(db, networkId);
    if (!network || !canSeeNetwork(auth, network)) throw networkNotFound(networkId);
    await checkPortOwned(db, auth, attributes);
    const change = await createFloatingIp(db, {
      projectId: owningProject(auth, attributes),
      floatingNetworkId: network.id,
      floatingIpAddress: attr(attributes, 'floating_ip_address'),
      subnetId: attr(attributes, 'subnet_id'),
      description: attr(attributes, 'description'),
      portId: attr(attributes, 'port_id'),
      fixedIpAddress: attr<string | null>(attributes, 'fixed_ip_address') ?? undefined,
    });
    notify(change.loadBalancerIds);
    return reply.code(201).send({ floatingip: await tagged(db, toWire(change.floatingIp)) });
  });

  app.get(itemPath(prefix, 'floatingips'), NEUTRON_ROUTE, async (request) => {
    const fip = await visibleFloatingIp(db, caller(request), (request.params as { id: string }).id);
    return { floatingip: projectOne(await tagged(db, toWire(fip)), queryOf(request)) };
  });

  app.put(itemPath(prefix, 'floatingips'), NEUTRON_ROUTE, async (request) => {
    const auth = caller(request);
    const fip = await visibleFloatingIp(db, auth, (request.params as { id: string }).id);
    const attributes = parseAttributes(FLOATING_IP_ATTRIBUTES, readResource(request, 'floatingip'), 'PUT');
    await checkPortOwned(db, auth, attributes);
    const change = await updateFloatingIp(db, fip.id, {
      description: attr(attributes, 'description'),
      portId: attr(attributes, 'port_id'),
      fixedIpAddress: attr<string | null>(attributes, 'fixed_ip_address') ?? undefined,
    });
    notify(change.loadBalancerIds);
    return { floatingip: await tagged(db, toWire(change.floatingIp)) };
  });

  app.delete(itemPath(prefix, 'floatingips'), NEUTRON_ROUTE, async (request, reply) => {
    const fip = await visibleFloatingIp(db, caller(request), (request.params as { id: string }).id);
    notify(await deleteFloatingIp(db, fip.id));
    return reply.code(204).send();
  });
}
