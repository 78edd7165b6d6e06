// `/v2.0/ports[/{id}]`: list, show, create (with IPAM), update, delete (identity-networking-v1.md §2).
// Anyone may plug a port into a network they can see; choosing its address or MAC takes the network's owner,
// changing the MAC of an unbound port takes an admin (Neutron's update_port:mac_address).
// A load balancer's VIP port (device_owner `Octavia`) is deleted with the load balancer, never directly.
import type { FastifyInstance } from 'fastify';
import { SluiceError } from '../../errors.ts';
import type { AuthContext } from '../../identity/auth-context.ts';
import { DEVICE_OWNER_OCTAVIA, type Port } from '../../model/network.ts';
import { L3_DEVICE_OWNERS } from '../../model/router.ts';
import type { Db } from '../../store/database.ts';
import {
  allocatePort,
  deletePort,
  type FixedIpRequest,
  getNetwork,
  getPort,
  listPorts,
  portNotFound,
  updatePort,
} from '../../store/repositories/network-repository.ts';
import { findSecurityGroup } from '../../store/repositories/security-group-repository.ts';
import type { ApiContext } from '../context.ts';
import { caller } from '../plugins/auth.ts';
import { visibleNetwork } from './networks-routes.ts';
import { type AttributeMap, type Attributes, attr, parseAttributes, readResource } from './neutron-body.ts';
import { itemPath, NEUTRON_ROUTE, queryOf } from './neutron-http.ts';
import { filterList, projectOne } from './neutron-list.ts';
import { isAdmin, owningProject, owns, policyDenied, requireAdminFor, visibility } from './neutron-policy.ts';
import { tagged, taggedAll } from './neutron-tags.ts';
import { addressPairs, bool, fixedIps, mac, str, uuid, uuidList } from './neutron-validators.ts';
import { portToWire } from './neutron-wire.ts';
import { securityGroupNotFound } from './security-groups/security-group-errors.ts';

const readOnly = { post: false, put: false, convert: str() } as const;

export const PORT_ATTRIBUTES: AttributeMap = {
  id: { post: false, put: false, convert: uuid },
  name: { post: 'optional', put: true, convert: str(255) },
  description: { post: 'optional', put: true, convert: str(255) },
  network_id: { post: 'required', put: false, convert: uuid },
  tenant_id: { post: 'optional', put: false, convert: str(255) },
  project_id: { post: 'optional', put: false, convert: str(255) },
  admin_state_up: { post: 'optional', put: true, convert: bool },
  mac_address: { post: 'optional', put: true, convert: mac },
  fixed_ips: { post: 'optional', put: true, convert: fixedIps },
  device_id: { post: 'optional', put: true, convert: str(255) },
  device_owner: { post: 'optional', put: true, convert: str(255) },
  allowed_address_pairs: { post: 'optional', put: true, convert: addressPairs },
  security_groups: { post: 'optional', put: true, convert: uuidList },
  status: readOnly,
  tags: readOnly,
  created_at: readOnly,
  updated_at: readOnly,
};

/** A port is visible to its project and to the owner of its network. */
export async function visiblePort(db: Db, auth: AuthContext, id: string): Promise<Port> {
  const port = await getPort(db, id);
  if (!port) throw portNotFound(id);
  if (owns(auth, port.projectId)) return port;
  const network = await getNetwork(db, port.networkId);
  if (!network || !owns(auth, network.projectId)) throw portNotFound(id);
  return port;
}

/**
 * _get_security_groups_on_port: every group named must exist and belong to the port's project (an admin may
 * name any); the missing ones are named together in one SecurityGroupNotFound.
 */
async function checkSecurityGroups(db: Db, auth: AuthContext, projectId: string, attributes: Attributes) {
  const groups = attr<string[]>(attributes, 'security_groups') ?? [];
  const seenBy = isAdmin(auth) ? 'all' : { projectId };
  const missing: string[] = [];
  for (const id of new Set(groups)) if (!(await findSecurityGroup(db, id, seenBy))) missing.push(id);
  if (missing.length > 0) throw securityGroupNotFound(missing.join(', '));
}

/** Neutron's policy: only the network's owner (or an admin) picks addresses or MACs on it. */
async function checkAddressChoice(
  db: Db,
  auth: AuthContext,
  networkId: string,
  attributes: Attributes,
  action: string,
) {
  const network = await getNetwork(db, networkId);
  if (network && owns(auth, network.projectId)) return;
  const ips = attr<FixedIpRequest[]>(attributes, 'fixed_ips') ?? [];
  if (ips.some((ip) => ip.ipAddress !== undefined)) throw policyDenied(`${action}:fixed_ips:ip_address`);
  if (attr(attributes, 'mac_address') !== undefined) throw policyDenied(`${action}:mac_address`);
}

export function registerPortRoutes(app: FastifyInstance, context: ApiContext, prefix: string): void {
  const db = context.store.db;

  const portsPath = `${prefix}/ports`;
  app.get(portsPath, NEUTRON_ROUTE, async (request) => {
    const ports = await listPorts(db, visibility(caller(request)));
    return { ports: filterList(await taggedAll(db, ports.map(portToWire)), queryOf(request)) };
  });

  app.post(portsPath, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const attributes = parseAttributes(PORT_ATTRIBUTES, readResource(request, 'port'), 'POST');
    const network = await visibleNetwork(db, auth, attributes.network_id as string);
    await checkAddressChoice(db, auth, network.id, attributes, 'create_port');
    const projectId = owningProject(auth, attributes);
    await checkSecurityGroups(db, auth, projectId, attributes);
    const port = await allocatePort(db, {
      networkId: network.id,
      projectId,
      name: attr(attributes, 'name'),
      description: attr(attributes, 'description'),
      adminStateUp: attr(attributes, 'admin_state_up'),
      macAddress: attr(attributes, 'mac_address'),
      fixedIps: attr(attributes, 'fixed_ips'),
      deviceId: attr(attributes, 'device_id'),
      deviceOwner: attr(attributes, 'device_owner'),
      allowedAddressPairs: attr(attributes, 'allowed_address_pairs'),
      securityGroups: attr(attributes, 'security_groups'),
    });
    return reply.code(201).send({ port: await tagged(db, portToWire(port)) });
  });

  app.get(itemPath(prefix, 'ports'), NEUTRON_ROUTE, async (request) => {
    const port = await visiblePort(db, caller(request), (request.params as { id: string }).id);
    return { port: projectOne(await tagged(db, portToWire(port)), queryOf(request)) };
  });

  app.put(itemPath(prefix, 'ports'), NEUTRON_ROUTE, async (request) => {
    const auth = caller(request);
    const port = await visiblePort(db, auth, (request.params as { id: string }).id);
    const attributes = parseAttributes(PORT_ATTRIBUTES, readResource(request, 'port'), 'PUT');
    // A load balancer's VIP port keeps its addresses and owner while the load balancer exists: moving or
    // detaching it would leave the VIP served on an address IPAM could give to someone else.
    const bound = ['fixed_ips', 'device_id', 'device_owner'].some((name) => Object.hasOwn(attributes, name));
    if (port.deviceOwner === DEVICE_OWNER_OCTAVIA && bound) throw portInUse(port);
    requireAdminFor(auth, attributes, ['mac_address'], 'update_port');
    checkMacUpdate(port, attr(attributes, 'mac_address'));
    await checkAddressChoice(db, auth, port.networkId, attributes, 'update_port');
    await checkSecurityGroups(db, auth, port.projectId, attributes);
    const updated = await updatePort(db, port.id, {
      macAddress: attr(attributes, 'mac_address'),
      name: attr(attributes, 'name'),
      description: attr(attributes, 'description'),
      adminStateUp: attr(attributes, 'admin_state_up'),
      fixedIps: attr(attributes, 'fixed_ips'),
      deviceId: attr(attributes, 'device_id'),
      deviceOwner: attr(attributes, 'device_owner'),
      allowedAddressPairs: attr(attributes, 'allowed_address_pairs'),
      securityGroups: attr(attributes, 'security_groups'),
    });
    return { port: await tagged(db, portToWire(updated)) };
  });

  app.delete(itemPath(prefix, 'ports'), NEUTRON_ROUTE, async (request, reply) => {
    const port = await visiblePort(db, caller(request), (request.params as { id: string }).id);
    if (port.deviceOwner === DEVICE_OWNER_OCTAVIA) throw portInUse(port);
    // Router and floating IP ports go with their L3 object (Neutron's L3PortInUse).
    if (L3_DEVICE_OWNERS.includes(port.deviceOwner)) {
      const detail = `Port ${port.id} cannot be deleted directly via the port API: has device owner ${port.deviceOwner}.`;
      throw new SluiceError('network.in-use', { detail }, 'L3PortInUse');
    }
    await deletePort(db, port.id);
    return reply.code(204).send();
  });
}

/**
 * A port's MAC changes only while nothing is plugged into it (ML2's _check_mac_update_allowed, 409
 * PortBound). Sluice has no port binding: a port is bound when it has a device (a load balancer's VIP, a
 * router), and its VIF type is Neutron's `other`, as nothing Neutron knows plugs it.
 * https://opendev.org/openstack/neutron/src/branch/master/neutron/plugins/ml2/plugin.py
 */
function checkMacUpdate(port: Port, newMac: string | undefined): void {
  if (newMac === undefined || newMac === port.macAddress || port.deviceId === '') return;
  const detail = `Unable to complete operation on port ${port.id}, port is already bound, port type: other, old_mac ${port.macAddress}, new_mac ${newMac}.`;
  throw new SluiceError('network.in-use', { detail }, 'PortBound');
}

function portInUse(port: Port): SluiceError {
  const detail = `Unable to complete operation on port ${port.id} for network ${port.networkId}. Port already has an attached device ${port.deviceId}.`;
  return new SluiceError('network.in-use', { detail }, 'PortInUse');
}
