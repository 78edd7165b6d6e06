// Shared plumbing of the networking repositories: row → domain mappers, visibility and Neutron's not-found
// errors.
import type { Selectable } from 'kysely';
import { SluiceError } from '../../errors.ts';
import { parseIp } from '../../model/ipam.ts';
import type {
  AddressPair,
  AllocationPool,
  FixedIp,
  HostRoute,
  Network,
  Port,
  Subnet,
} from '../../model/network.ts';
import { fromBool, fromJson } from '../codec.ts';
import type { Db } from '../database.ts';
import type { NetworkTable, PortTable, SubnetTable } from '../schema.ts';

/** Whose objects a read may return: everything (admin) or what one project may see. */
export type Visibility = 'all' | { readonly projectId: string | null };

export const networkNotFound = (id: string) =>
  new SluiceError('network.not-found', { kind: 'Network', id }, 'NetworkNotFound');
export const subnetNotFound = (id: string) =>
  new SluiceError('network.not-found', { kind: 'Subnet', id }, 'SubnetNotFound');
export const portNotFound = (id: string) =>
  new SluiceError('network.not-found', { kind: 'Port', id }, 'PortNotFound');

/** Throws NetworkNotFound unless the network exists (checked inside the caller's transaction). */
export async function requireNetwork(db: Db, id: string): Promise<void> {
  const row = await db.selectFrom('networks').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw networkNotFound(id);
}

export function toNetwork(row: Selectable<NetworkTable>, subnetIds: readonly string[]): Network {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    projectId: row.project_id,
    adminStateUp: fromBool(row.admin_state_up),
    status: row.status,
    shared: fromBool(row.shared),
    routerExternal: fromBool(row.router_external),
    networkType: row.network_type,
    physicalNetwork: row.physical_network,
    segmentationId: row.segmentation_id === null ? null : Number(row.segmentation_id),
    mtu: Number(row.mtu),
    subnets: subnetIds,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toSubnet(row: Selectable<SubnetTable>): Subnet {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    networkId: row.network_id,
    projectId: row.project_id,
    ipVersion: Number(row.ip_version) === 6 ? 6 : 4,
    cidr: row.cidr,
    gatewayIp: row.gateway_ip,
    allocationPools: fromJson<AllocationPool[]>(row.allocation_pools, []),
    enableDhcp: fromBool(row.enable_dhcp),
    dnsNameservers: fromJson<string[]>(row.dns_nameservers, []),
    hostRoutes: fromJson<HostRoute[]>(row.host_routes, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toPort(row: Selectable<PortTable>, fixedIps: readonly FixedIp[]): Port {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    networkId: row.network_id,
    projectId: row.project_id,
    macAddress: row.mac_address,
    deviceId: row.device_id,
    deviceOwner: row.device_owner,
    status: row.status,
    adminStateUp: fromBool(row.admin_state_up),
    fixedIps: sortFixedIps(fixedIps),
    allowedAddressPairs: fromJson<AddressPair[]>(row.allowed_address_pairs, []),
    securityGroups: fromJson<string[]>(row.security_groups, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The table has no order column: IPv4 before IPv6, then by address, so every read agrees. */
function sortFixedIps(fixedIps: readonly FixedIp[]): FixedIp[] {
  const key = (ip: FixedIp) => parseIp(ip.ipAddress) ?? { version: 6, value: 0n };
  return [...fixedIps].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x.version !== y.version) return x.version - y.version;
    return x.value < y.value ? -1 : x.value > y.value ? 1 : 0;
  });
}

/** Networks by id with their subnet ids, oldest first (missing ids are skipped). */
export async function readNetworks(db: Db, ids: readonly string[]): Promise<Network[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('networks')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const subnets = await db
    .selectFrom('subnets')
    .select(['id', 'network_id'])
    .where('network_id', 'in', ids)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const byNetwork = groupBy(subnets, (s) => s.network_id);
  return rows.map((row) =>
    toNetwork(
      row,
      (byNetwork.get(row.id) ?? []).map((s) => s.id),
    ),
  );
}

/** Groups rows by a key, keeping order. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}
