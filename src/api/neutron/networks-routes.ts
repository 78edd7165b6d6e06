// `/v2.0/networks[/{id}]`: list, show, create, update, delete (identity-networking-v1.md §2). Shared,
// external and provider attributes are admin-only, as in Neutron's default policy.
import type { FastifyInstance } from 'fastify';
import type { AuthContext } from '../../identity/auth-context.ts';
import type { Network } from '../../model/network.ts';
import type { Db } from '../../store/database.ts';
import {
  createNetwork,
  deleteNetwork,
  getNetwork,
  listNetworks,
  networkNotFound,
  updateNetwork,
} from '../../store/repositories/network-repository.ts';
import type { ApiContext } from '../context.ts';
import { caller } from '../plugins/auth.ts';
import { type AttributeMap, attr, parseAttributes, readResource } from './neutron-body.ts';
import { itemPath, NEUTRON_ROUTE, queryOf } from './neutron-http.ts';
import { filterList, projectOne } from './neutron-list.ts';
import {
  canSeeNetwork,
  owningProject,
  owns,
  policyDenied,
  requireAdminFor,
  visibility,
} from './neutron-policy.ts';
import { tagged, taggedAll } from './neutron-tags.ts';
import { bool, nonNegativeInt, optionalInt, optionalStr, str, uuid } from './neutron-validators.ts';
import { networkToWire } from './neutron-wire.ts';

const readOnly = { post: false, put: false, convert: str() } as const;

export const NETWORK_ATTRIBUTES: AttributeMap = {
  id: { post: false, put: false, convert: uuid },
  name: { post: 'optional', put: true, convert: str(255) },
  description: { post: 'optional', put: true, convert: str(255) },
  tenant_id: { post: 'optional', put: false, convert: str(255) },
  project_id: { post: 'optional', put: false, convert: str(255) },
  admin_state_up: { post: 'optional', put: true, convert: bool },
  shared: { post: 'optional', put: true, convert: bool },
  'router:external': { post: 'optional', put: true, convert: bool },
  'provider:network_type': { post: 'optional', put: false, convert: str(255) },
  'provider:physical_network': { post: 'optional', put: false, convert: optionalStr(64) },
  'provider:segmentation_id': { post: 'optional', put: false, convert: optionalInt },
  mtu: { post: 'optional', put: true, convert: nonNegativeInt },
  status: readOnly,
  subnets: readOnly,
  tags: readOnly,
  created_at: readOnly,
  updated_at: readOnly,
};

const ADMIN_ONLY = [
  'shared',
  'router:external',
  'provider:network_type',
  'provider:physical_network',
  'provider:segmentation_id',
];

/** The network if the caller may see it, else 404 (an invisible network does not exist for the caller). */
export async function visibleNetwork(db: Db, auth: AuthContext, id: string): Promise<Network> {
  const network = await getNetwork(db, id);
  if (!network || !canSeeNetwork(auth, network)) throw networkNotFound(id);
  return network;
}

export function registerNetworkRoutes(app: FastifyInstance, context: ApiContext, prefix: string): void {
  const db = context.store.db;

  const networksPath = `${prefix}/networks`;
  app.get(networksPath, NEUTRON_ROUTE, async (request) => {
    const networks = await listNetworks(db, visibility(caller(request)));
    return { networks: filterList(await taggedAll(db, networks.map(networkToWire)), queryOf(request)) };
  });

  app.post(networksPath, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const attributes = parseAttributes(NETWORK_ATTRIBUTES, readResource(request, 'network'), 'POST');
    requireAdminFor(auth, attributes, ADMIN_ONLY, 'create_network');
    const network = await createNetwork(db, {
      projectId: owningProject(auth, attributes),
      name: attr(attributes, 'name'),
      description: attr(attributes, 'description'),
      adminStateUp: attr(attributes, 'admin_state_up'),
      shared: attr(attributes, 'shared'),
      routerExternal: attr(attributes, 'router:external'),
      networkType: attr(attributes, 'provider:network_type'),
      physicalNetwork: attr(attributes, 'provider:physical_network'),
      segmentationId: attr(attributes, 'provider:segmentation_id'),
      mtu: attr(attributes, 'mtu'),
    });
    return reply.code(201).send({ network: await tagged(db, networkToWire(network)) });
  });

  app.get(itemPath(prefix, 'networks'), NEUTRON_ROUTE, async (request) => {
    const network = await visibleNetwork(db, caller(request), (request.params as { id: string }).id);
    return { network: projectOne(await tagged(db, networkToWire(network)), queryOf(request)) };
  });

  app.put(itemPath(prefix, 'networks'), NEUTRON_ROUTE, async (request) => {
    const auth = caller(request);
    const network = await visibleNetwork(db, auth, (request.params as { id: string }).id);
    const attributes = parseAttributes(NETWORK_ATTRIBUTES, readResource(request, 'network'), 'PUT');
    if (!owns(auth, network.projectId)) throw policyDenied('update_network');
    requireAdminFor(auth, attributes, ADMIN_ONLY, 'update_network');
    const updated = await updateNetwork(db, network.id, {
      name: attr(attributes, 'name'),
      description: attr(attributes, 'description'),
      adminStateUp: attr(attributes, 'admin_state_up'),
      shared: attr(attributes, 'shared'),
      routerExternal: attr(attributes, 'router:external'),
      mtu: attr(attributes, 'mtu'),
    });
    return { network: await tagged(db, networkToWire(updated)) };
  });

  app.delete(itemPath(prefix, 'networks'), NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const network = await visibleNetwork(db, auth, (request.params as { id: string }).id);
    if (!owns(auth, network.projectId)) throw policyDenied('delete_network');
    await deleteNetwork(db, network.id);
    return reply.code(204).send();
  });
}
