// VIP resolution on load-balancer create (reference §3.2): from a port, a network, a subnet and/or an
// address, to one allocated port owned by the load balancer. Runs inside the create transaction, so a
// failed create never leaks an address.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { NetworkDriver } from '../../../config/config.ts';
import { fail, SluiceError } from '../../../errors.ts';
import type { AuthContext } from '../../../identity/auth-context.ts';
import { cidrContains } from '../../../model/ipam.ts';
import type { Vip } from '../../../model/load-balancer.ts';
import type { Network, Subnet } from '../../../model/network.ts';
import {
  allocatePort,
  getNetwork,
  getPort,
  getSubnet,
  updatePortDevice,
} from '../../../store/repositories/network-repository.ts';
import { findQosPolicy } from '../../../store/repositories/qos-policy-repository.ts';
import type { Database } from '../../../store/schema.ts';
import { canSeeNetwork, owns, visibility } from '../../neutron/neutron-policy.ts';

export type VipRequest = Readonly<{
  portId?: string;
  networkId?: string;
  subnetId?: string;
  address?: string;
  qosPolicyId?: string | null;
  additional?: readonly { subnetId: string; address?: string | null }[];
}>;

type Db = Kysely<Database> | Transaction<Database>;
export const VIP_DEVICE_OWNER = 'Octavia';

/** The address Octavia's noop network driver gives a VIP when none is requested. */
export const NOOP_VIP_ADDRESS = '198.51.100.1';

export async function resolveVip(
  db: Db,
  request: VipRequest,
  lbId: string,
  projectId: string,
  auth: AuthContext,
  networkDriver: NetworkDriver = 'neutron',
  denylistVipNetworks: readonly string[] = [],
): Promise<Vip> {
  if (!request.portId && !request.networkId && !request.subnetId) {
    throw fail('octavia.vip-validation', { objects: 'vip_port_id, vip_network_id, vip_subnet_id' });
  }
  const additional = request.additional ?? [];
  const subnets = [request.subnetId, ...additional.map((v) => v.subnetId)].filter((s) => s !== undefined);
  // reference §3.2 step 5: one address per subnet, the primary's included.
  if (new Set(subnets).size !== subnets.length) {
    throw fail('octavia.validation', {
      detail: 'Duplicate VIP subnet(s) specified. Only one IP can be bound per subnet.',
    });
  }
  if (networkDriver === 'noop') {
    const vip = noopVip(request);
    refuseDeniedNetwork(vip.networkId, denylistVipNetworks);
    return vip;
  }
  if (request.portId && additional.length > 0) {
    throw fail('octavia.validation', { detail: 'Additional VIPs cannot be added to an existing VIP port.' });
  }
  const qosPolicyId = request.qosPolicyId ?? null;
  if (request.portId) {
    const vip = await fromPort(db, request, request.portId, lbId, auth);
    if (qosPolicyId) await requireQosPolicy(db, auth, qosPolicyId);
    refuseDeniedNetwork(vip.networkId, denylistVipNetworks);
    return { ...vip, qosPolicyId, additional: [] };
  }

  let networkId = request.networkId;
  let subnetId = request.subnetId;
  if (subnetId) {
    const subnet = await visibleSubnet(db, auth, subnetId);
    if (networkId && subnet.networkId !== networkId) {
      throw fail('octavia.validation', { detail: `Subnet ${subnetId} is not on network ${networkId}.` });
    }
    networkId = subnet.networkId;
  } else if (networkId) {
    const network = await visibleNetwork(db, auth, networkId);
    if (request.address) subnetId = await subnetForAddress(db, network.subnets, request.address, networkId);
  }
  for (const extra of additional) {
    const subnet = await additionalSubnet(db, auth, extra.subnetId);
    if (subnet.networkId !== networkId) {
      throw fail('octavia.validation', { detail: 'All VIP subnets must belong to the same network.' });
    }
  }
  // Octavia checks the QoS policy after the VIP's network and subnet (_validate_vip_request_object).
  if (qosPolicyId) await requireQosPolicy(db, auth, qosPolicyId);
  if (!subnetId && !request.address && additional.length > 0) {
    // The primary VIP takes the network's first subnet that no additional VIP names.
    const network = await getNetwork(db, networkId!);
    subnetId = network?.subnets.find((id) => !additional.some((v) => v.subnetId === id));
  }
  const primary = subnetId || request.address ? [{ subnetId, ipAddress: request.address }] : [];
  const extras = additional.map((v) => ({ subnetId: v.subnetId, ipAddress: v.address ?? undefined }));
  const fixedIps = primary.length + extras.length > 0 ? [...primary, ...extras] : undefined;
  refuseDeniedNetwork(networkId!, denylistVipNetworks);
  const port = await allocatePort(db, {
    networkId: networkId!,
    projectId,
    name: `octavia-lb-${lbId}`,
    deviceId: lbId,
    deviceOwner: VIP_DEVICE_OWNER,
    fixedIps,
  }).catch((error: unknown) => {
    // Octavia 17.0.0 reports Neutron's IpAddressAlreadyAllocated as VIPAddressConflict (409) with Neutron's
    // words after its own (octavia/api/drivers/utils.py call_provider).
    if (error instanceof SluiceError && error.code === 'network.ip-allocated') {
      throw fail('octavia.vip-address-conflict', { msg: error.message });
    }
    throw error;
  });
  const ip = port.fixedIps.find((f) => !subnetId || f.subnetId === subnetId) ?? port.fixedIps[0];
  return {
    address: ip.ipAddress,
    subnetId: ip.subnetId,
    networkId: port.networkId,
    portId: port.id,
    qosPolicyId,
    additional: port.fixedIps
      .filter((f) => f !== ip)
      .map((f) => ({ subnetId: f.subnetId, address: f.ipAddress })),
  };
}

/**
 * Like Octavia's network noop driver: ids are taken as given (or made up), nothing is looked up or
 * allocated, for API-only deployments and testing.
 */
function noopVip(request: VipRequest): Vip {
  return {
    address: request.address ?? NOOP_VIP_ADDRESS,
    portId: request.portId ?? randomUUID(),
    subnetId: request.subnetId ?? randomUUID(),
    networkId: request.networkId ?? randomUUID(),
    qosPolicyId: request.qosPolicyId ?? null,
    additional: (request.additional ?? []).map((v) => ({
      subnetId: v.subnetId,
      address: v.address ?? NOOP_VIP_ADDRESS,
    })),
  };
}

async function fromPort(
  db: Db,
  request: VipRequest,
  portId: string,
  lbId: string,
  auth: AuthContext,
): Promise<Omit<Vip, 'qosPolicyId' | 'additional'>> {
  const port = await getPort(db, portId);
  // A port of another project is "not found" for the caller, as Neutron would answer Octavia (§3.2).
  if (!port || !owns(auth, port.projectId)) {
    throw fail('octavia.invalid-subresource', { resource: 'Port', id: portId });
  }
  if (port.deviceId) {
    throw fail('octavia.validation', {
      detail: `Port ${portId} is already in use by device ${port.deviceId}.`,
    });
  }
  if (request.networkId && request.networkId !== port.networkId) {
    throw fail('octavia.validation', { detail: `Port ${portId} is not on network ${request.networkId}.` });
  }
  const candidates = port.fixedIps.filter(
    (ip) =>
      (!request.subnetId || ip.subnetId === request.subnetId) &&
      (!request.address || ip.ipAddress === request.address),
  );
  if (candidates.length === 0) {
    throw fail('octavia.validation', { detail: `No fixed IP of port ${portId} matches the requested VIP.` });
  }
  if (candidates.length > 1) {
    throw fail('octavia.validation', {
      detail: 'Multiple VIP IP addresses found on port; specify vip_address or vip_subnet_id.',
    });
  }
  await updatePortDevice(db, port.id, lbId, VIP_DEVICE_OWNER);
  const ip = candidates[0];
  return { address: ip.ipAddress, subnetId: ip.subnetId, networkId: port.networkId, portId: port.id };
}

async function subnetForAddress(db: Db, subnetIds: readonly string[], address: string, networkId: string) {
  for (const id of subnetIds) {
    const subnet = await getSubnet(db, id);
    if (subnet && cidrContains(subnet.cidr, address)) return subnet.id;
  }
  throw fail('octavia.validation', {
    detail: `Unable to find a subnet on network ${networkId} for VIP address ${address}.`,
  });
}

/**
 * A VIP QoS policy must be one the caller can see through Neutron (its project's or a shared one): Octavia
 * looks it up with the user's context (validate.qos_policy_exists; allow_invisible_resource_usage false) and
 * answers 400 InvalidSubresource otherwise.
 * https://opendev.org/openstack/octavia/src/branch/master/octavia/common/validate.py
 */
export async function requireQosPolicy(db: Db, auth: AuthContext, id: string): Promise<void> {
  if (!(await findQosPolicy(db, id, visibility(auth)))) {
    throw fail('octavia.invalid-subresource', { resource: 'qos_policy', id });
  }
}

/** Networks and subnets the caller cannot see through Neutron are "not found" (reference §3.2). */
async function visibleNetwork(db: Db, auth: AuthContext, id: string): Promise<Network> {
  const network = await getNetwork(db, id);
  if (!network || !canSeeNetwork(auth, network))
    throw fail('octavia.invalid-subresource', { resource: 'Network', id });
  return network;
}

/**
 * `[networking] denylist_vip_networks`: a VIP on a listed network is refused, ids compared without case
 * (octavia/common/validate.py network_denylist_by_config).
 */
function refuseDeniedNetwork(networkId: string, denylist: readonly string[]): void {
  if (denylist.some((id) => id.toLowerCase() === networkId.toLowerCase())) {
    throw fail('octavia.validation', {
      detail: 'Supplied VIP network_id is not allowed by the configuration of this deployment.',
    });
  }
}

/**
 * An additional VIP's subnet: Octavia looks it up outside validate.subnet_exists, and since 2025.1 answers a
 * subnet it cannot get with 400 `Subnet <id> not found` instead of a 500
 * (octavia/api/v2/controllers/load_balancer.py _validate_subnets_share_network_but_no_duplicates).
 */
async function additionalSubnet(db: Db, auth: AuthContext, id: string): Promise<Subnet> {
  try {
    return await visibleSubnet(db, auth, id);
  } catch (error) {
    if (error instanceof SluiceError && error.code === 'octavia.invalid-subresource') {
      throw fail('octavia.validation', { detail: `Subnet ${id} not found` });
    }
    throw error;
  }
}

/** A subnet the caller may use: its own, or on a network it can see; any other is "not found" (400). */
export async function visibleSubnet(db: Db, auth: AuthContext, id: string): Promise<Subnet> {
  const subnet = await getSubnet(db, id);
  const network = subnet && (await getNetwork(db, subnet.networkId));
  if (!subnet || !network || !(owns(auth, subnet.projectId) || canSeeNetwork(auth, network))) {
    throw fail('octavia.invalid-subresource', { resource: 'Subnet', id });
  }
  return subnet;
}
