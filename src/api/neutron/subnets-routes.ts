// `/v2.0/subnets[/{id}]`: list, show, create, update, delete (identity-networking-v1.md §2). A subnet is
// visible to its project and, through a shared network, to everyone; only its owner changes it.
import type { FastifyInstance } from 'fastify';
import type { AuthContext } from '../../identity/auth-context.ts';
import type { Subnet } from '../../model/network.ts';
import type { Db } from '../../store/database.ts';
import {
  createSubnet,
  deleteSubnet,
  getNetwork,
  getSubnet,
  listSubnets,
  subnetNotFound,
  updateSubnet,
} from '../../store/repositories/network-repository.ts';
import type { ApiContext } from '../context.ts';
import { caller } from '../plugins/auth.ts';
import { visibleNetwork } from './networks-routes.ts';
import { type AttributeMap, attr, parseAttributes, readResource } from './neutron-body.ts';
import { itemPath, NEUTRON_ROUTE, queryOf } from './neutron-http.ts';
import { filterList, projectOne } from './neutron-list.ts';
import { owningProject, owns, policyDenied, visibility } from './neutron-policy.ts';
import { tagged, taggedAll } from './neutron-tags.ts';
import {
  allocationPools,
  bool,
  cidr,
  hostRoutes,
  ipVersion,
  nameservers,
  optionalIp,
  str,
  uuid,
} from './neutron-validators.ts';
import { subnetToWire } from './neutron-wire.ts';

const readOnly = { post: false, put: false, convert: str() } as const;

export const SUBNET_ATTRIBUTES: AttributeMap = {
  id: { post: false, put: false, convert: uuid },
  name: { post: 'optional', put: true, convert: str(255) },
  description: { post: 'optional', put: true, convert: str(255) },
  network_id: { post: 'required', put: false, convert: uuid },
  tenant_id: { post: 'optional', put: false, convert: str(255) },
  project_id: { post: 'optional', put: false, convert: str(255) },
  ip_version: { post: 'required', put: false, convert: ipVersion },
  cidr: { post: 'required', put: false, convert: cidr },
  gateway_ip: { post: 'optional', put: true, convert: optionalIp },
  allocation_pools: { post: 'optional', put: true, convert: allocationPools },
  enable_dhcp: { post: 'optional', put: true, convert: bool },
  dns_nameservers: { post: 'optional', put: true, convert: nameservers },
  host_routes: { post: 'optional', put: true, convert: hostRoutes },
  tags: readOnly,
  created_at: readOnly,
  updated_at: readOnly,
};

export async function visibleSubnet(db: Db, auth: AuthContext, id: string): Promise<Subnet> {
  const subnet = await getSubnet(db, id);
  if (!subnet) throw subnetNotFound(id);
  if (owns(auth, subnet.projectId)) return subnet;
  const network = await getNetwork(db, subnet.networkId);
  if (!network?.shared) throw subnetNotFound(id);
  return subnet;
}

export function registerSubnetRoutes(app: FastifyInstance, context: ApiContext, prefix: string): void {
  const db = context.store.db;

  const subnetsPath = `${prefix}/subnets`;
  app.get(subnetsPath, NEUTRON_ROUTE, async (request) => {
    const subnets = await listSubnets(db, visibility(caller(request)));
    return { subnets: filterList(await taggedAll(db, subnets.map(subnetToWire)), queryOf(request)) };
  });

  app.post(subnetsPath, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const attributes = parseAttributes(SUBNET_ATTRIBUTES, readResource(request, 'subnet'), 'POST');
    const network = await visibleNetwork(db, auth, attributes.network_id as string);
    if (!owns(auth, network.projectId)) throw policyDenied('create_subnet');
    const subnet = await createSubnet(db, {
      networkId: network.id,
      projectId: owningProject(auth, attributes),
      ipVersion: attributes.ip_version as number,
      cidr: attributes.cidr as string,
      name: attr(attributes, 'name'),
      description: attr(attributes, 'description'),
      gatewayIp: attr(attributes, 'gateway_ip'),
      allocationPools: attr(attributes, 'allocation_pools'),
      enableDhcp: attr(attributes, 'enable_dhcp'),
      dnsNameservers: attr(attributes, 'dns_nameservers'),
      hostRoutes: attr(attributes, 'host_routes'),
    });
    return reply.code(201).send({ subnet: await tagged(db, subnetToWire(subnet)) });
  });

  app.get(itemPath(prefix, 'subnets'), NEUTRON_ROUTE, async (request) => {
    const subnet = await visibleSubnet(db, caller(request), (request.params as { id: string }).id);
    return { subnet: projectOne(await tagged(db, subnetToWire(subnet)), queryOf(request)) };
  });

  app.put(itemPath(prefix, 'subnets'), NEUTRON_ROUTE, async (request) => {
    const auth = caller(request);
    const subnet = await visibleSubnet(db, auth, (request.params as { id: string }).id);
    const attributes = parseAttributes(SUBNET_ATTRIBUTES, readResource(request, 'subnet'), 'PUT');
    if (!owns(auth, subnet.projectId)) throw policyDenied('update_subnet');
    const updated = await updateSubnet(db, subnet.id, {
      name: attr(attributes, 'name'),
      description: attr(attributes, 'description'),
      gatewayIp: attr(attributes, 'gateway_ip'),
      allocationPools: attr(attributes, 'allocation_pools'),
      enableDhcp: attr(attributes, 'enable_dhcp'),
      dnsNameservers: attr(attributes, 'dns_nameservers'),
      hostRoutes: attr(attributes, 'host_routes'),
    });
    return { subnet: await tagged(db, subnetToWire(updated)) };
  });

  app.delete(itemPath(prefix, 'subnets'), NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const subnet = await visibleSubnet(db, auth, (request.params as { id: string }).id);
    if (!owns(auth, subnet.projectId)) throw policyDenied('delete_subnet');
    await deleteSubnet(db, subnet.id);
    return reply.code(204).send();
  });
}
