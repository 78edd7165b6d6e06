// Subnets in the store: reads with visibility (own, or on a shared network), create with Neutron's defaults
// (first host as gateway, the rest as the pool), overlap refusal on one network, update and delete.
import type { Updateable } from 'kysely';
import { SluiceError } from '../../errors.ts';
import {
  type AllocationPool,
  cidrsOverlap,
  defaultAllocationPools,
  defaultGateway,
  formatCidr,
  parseCidr,
} from '../../model/ipam.ts';
import type { HostRoute, Subnet } from '../../model/network.ts';
import { newId, now, toBool, toJson } from '../codec.ts';
import { type Db, inTransaction } from '../database.ts';
import type { SubnetTable } from '../schema.ts';
import { requireNetwork, subnetNotFound, toSubnet, type Visibility } from './network-rows.ts';
import { checkCidr, checkGateway, checkHostRoutes, checkNameservers, checkPools } from './subnet-rules.ts';
import { deleteTagsOf } from './tag-repository.ts';

export type SubnetInput = {
  networkId: string;
  projectId: string;
  ipVersion: number;
  cidr: string;
  name?: string;
  description?: string;
  /** undefined: the first host address; null: no gateway */
  gatewayIp?: string | null;
  /** undefined: every usable address but the gateway */
  allocationPools?: readonly AllocationPool[];
  enableDhcp?: boolean;
  dnsNameservers?: readonly string[];
  hostRoutes?: readonly HostRoute[];
};

export type SubnetChanges = Partial<{
  name: string;
  description: string;
  gatewayIp: string | null;
  allocationPools: readonly AllocationPool[];
  enableDhcp: boolean;
  dnsNameservers: readonly string[];
  hostRoutes: readonly HostRoute[];
}>;

export async function getSubnet(db: Db, id: string): Promise<Subnet | undefined> {
  const row = await db.selectFrom('subnets').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toSubnet(row) : undefined;
}

/** Subnets the viewer may see: all, or the project's own plus those of shared networks; oldest first. */
export async function listSubnets(db: Db, visibility: Visibility, networkId?: string): Promise<Subnet[]> {
  let query = db.selectFrom('subnets').selectAll();
  if (networkId !== undefined) query = query.where('network_id', '=', networkId);
  if (visibility !== 'all') {
    const projectId = visibility.projectId ?? '';
    query = query.where((eb) =>
      eb.or([
        eb('project_id', '=', projectId),
        eb('network_id', 'in', eb.selectFrom('networks').select('id').where('shared', '=', 1)),
      ]),
    );
  }
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return rows.map(toSubnet);
}

export async function createSubnet(db: Db, input: SubnetInput, id: string = newId()): Promise<Subnet> {
  const cidr = checkCidr(input.cidr, input.ipVersion);
  const gateway = input.gatewayIp === undefined ? defaultGateway(cidr) : checkGateway(cidr, input.gatewayIp);
  const pools =
    input.allocationPools === undefined
      ? defaultAllocationPools(cidr, gateway)
      : checkPools(cidr, input.allocationPools, gateway);
  const nameservers = checkNameservers(cidr, input.dnsNameservers ?? []);
  const routes = checkHostRoutes(cidr, input.hostRoutes ?? []);
  const cidrText = formatCidr(cidr);
  return inTransaction(db, async (trx) => {
    await requireNetwork(trx, input.networkId);
    const siblings = await trx
      .selectFrom('subnets')
      .select('cidr')
      .where('network_id', '=', input.networkId)
      .execute();
    if (siblings.some((s) => cidrsOverlap(parseCidr(s.cidr)!, cidr))) {
      const detail = `Requested subnet with cidr: ${cidrText} for network: ${input.networkId} overlaps with another subnet`;
      throw new SluiceError('network.bad-request', { detail }, 'InvalidInput');
    }
    const at = now();
    await trx
      .insertInto('subnets')
      .values({
        id,
        name: input.name ?? '',
        description: input.description ?? '',
        network_id: input.networkId,
        project_id: input.projectId,
        ip_version: cidr.version,
        cidr: cidrText,
        gateway_ip: gateway,
        allocation_pools: toJson(pools),
        enable_dhcp: toBool(input.enableDhcp ?? true),
        dns_nameservers: toJson(nameservers),
        host_routes: toJson(routes),
        created_at: at,
        updated_at: at,
      })
      .execute();
    return (await getSubnet(trx, id))!;
  });
}

/** A new gateway must not sit in the pools nor on a port's address; pools are re-checked against it. */
export async function updateSubnet(db: Db, id: string, changes: SubnetChanges): Promise<Subnet> {
  return inTransaction(db, async (trx) => {
    const subnet = await getSubnet(trx, id);
    if (!subnet) throw subnetNotFound(id);
    const cidr = parseCidr(subnet.cidr)!;
    const values: Updateable<SubnetTable> = { updated_at: now() };
    let gateway = subnet.gatewayIp;
    if (changes.gatewayIp !== undefined) {
      gateway = checkGateway(cidr, changes.gatewayIp);
      if (gateway !== null && gateway !== subnet.gatewayIp) await ensureGatewayFree(trx, id, gateway);
      values.gateway_ip = gateway;
    }
    if (changes.allocationPools !== undefined || changes.gatewayIp !== undefined) {
      values.allocation_pools = toJson(
        checkPools(cidr, changes.allocationPools ?? subnet.allocationPools, gateway),
      );
    }
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.description !== undefined) values.description = changes.description;
    if (changes.enableDhcp !== undefined) values.enable_dhcp = toBool(changes.enableDhcp);
    if (changes.dnsNameservers !== undefined)
      values.dns_nameservers = toJson(checkNameservers(cidr, changes.dnsNameservers));
    if (changes.hostRoutes !== undefined)
      values.host_routes = toJson(checkHostRoutes(cidr, changes.hostRoutes));
    await trx.updateTable('subnets').set(values).where('id', '=', id).execute();
    return (await getSubnet(trx, id))!;
  });
}

async function ensureGatewayFree(db: Db, subnetId: string, gateway: string): Promise<void> {
  const holder = await db
    .selectFrom('ip_allocations')
    .select('port_id')
    .where('subnet_id', '=', subnetId)
    .where('ip_address', '=', gateway)
    .executeTakeFirst();
  if (holder) {
    const detail = `Current gateway ip ${gateway} already in use by port ${holder.port_id}. Unable to update.`;
    throw new SluiceError('network.in-use', { detail }, 'GatewayIpInUse');
  }
}

/** A subnet with addresses handed out stays (409 SubnetInUse): freeing them is the ports' business. */
export async function deleteSubnet(db: Db, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    if (!(await getSubnet(trx, id))) throw subnetNotFound(id);
    const used = await trx
      .selectFrom('ip_allocations')
      .select('port_id')
      .where('subnet_id', '=', id)
      .executeTakeFirst();
    if (used) {
      const detail = `Unable to complete operation on subnet ${id}: One or more ports have an IP allocation from this subnet.`;
      throw new SluiceError('network.in-use', { detail }, 'SubnetInUse');
    }
    await deleteTagsOf(trx, [id]);
    await trx.deleteFrom('subnets').where('id', '=', id).execute();
  });
}
