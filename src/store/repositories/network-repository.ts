// Networks in the store: reads with project visibility, create/update/delete with Neutron's rules. Also
// re-exports the subnet, port and public-network functions, so callers (the load-balancer code, the
// bootstrap) import networking from this one module.
import type { Updateable } from 'kysely';
import { SluiceError } from '../../errors.ts';
import { DEFAULT_MTU, type Network, NetworkType, providerProblem } from '../../model/network.ts';
import { newId, now, toBool } from '../codec.ts';
import { type Db, inTransaction } from '../database.ts';
import type { NetworkTable } from '../schema.ts';
import { networkNotFound, readNetworks, type Visibility } from './network-rows.ts';
import { deleteTagsOf } from './tag-repository.ts';

export type { Visibility } from './network-rows.ts';
export { networkNotFound, portNotFound, subnetNotFound } from './network-rows.ts';
export type { FixedIpRequest, PortChanges, PortInput } from './port-repository.ts';
export {
  allocatePort,
  deletePort,
  getPort,
  listPorts,
  updatePort,
  updatePortDevice,
} from './port-repository.ts';
export {
  ensurePublicNetwork,
  PUBLIC_NETWORK,
  PUBLIC_NETWORK_ID,
  PUBLIC_SUBNET_ID,
} from './public-network.ts';
export type { SubnetChanges, SubnetInput } from './subnet-repository.ts';
export { createSubnet, deleteSubnet, getSubnet, listSubnets, updateSubnet } from './subnet-repository.ts';

export type NetworkInput = {
  projectId: string;
  name?: string;
  description?: string;
  adminStateUp?: boolean;
  shared?: boolean;
  routerExternal?: boolean;
  networkType?: string;
  physicalNetwork?: string | null;
  segmentationId?: number | null;
  mtu?: number;
};

export type NetworkChanges = Partial<{
  name: string;
  description: string;
  adminStateUp: boolean;
  shared: boolean;
  routerExternal: boolean;
  mtu: number;
}>;

export async function getNetwork(db: Db, id: string): Promise<Network | undefined> {
  const [network] = await readNetworks(db, [id]);
  return network;
}

/** Networks the viewer may see: all of them, or the project's own plus shared ones; oldest first. */
export async function listNetworks(db: Db, visibility: Visibility): Promise<Network[]> {
  let query = db.selectFrom('networks').select('id');
  if (visibility !== 'all') {
    const projectId = visibility.projectId ?? '';
    query = query.where((eb) => eb.or([eb('project_id', '=', projectId), eb('shared', '=', 1)]));
  }
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return readNetworks(
    db,
    rows.map((r) => r.id),
  );
}

export async function createNetwork(db: Db, input: NetworkInput, id: string = newId()): Promise<Network> {
  const provider = {
    networkType: input.networkType ?? NetworkType.LOCAL,
    physicalNetwork: input.physicalNetwork ?? null,
    segmentationId: input.segmentationId ?? null,
  };
  const problem = providerProblem(provider);
  if (problem) throw new SluiceError('network.bad-request', { detail: problem }, 'InvalidInput');
  return inTransaction(db, async (trx) => {
    if (provider.networkType === NetworkType.VLAN) await ensureVlanFree(trx, provider);
    const at = now();
    await trx
      .insertInto('networks')
      .values({
        id,
        name: input.name ?? '',
        description: input.description ?? '',
        project_id: input.projectId,
        admin_state_up: toBool(input.adminStateUp ?? true),
        status: 'ACTIVE',
        shared: toBool(input.shared ?? false),
        router_external: toBool(input.routerExternal ?? false),
        network_type: provider.networkType,
        physical_network: provider.physicalNetwork,
        segmentation_id: provider.segmentationId,
        mtu: input.mtu ?? DEFAULT_MTU,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return (await getNetwork(trx, id))!;
  });
}

/** One VLAN id per physical network, as ML2's vlan type driver enforces (409 VlanIdInUse). */
async function ensureVlanFree(db: Db, p: { physicalNetwork: string | null; segmentationId: number | null }) {
  const clash = await db
    .selectFrom('networks')
    .select('id')
    .where('network_type', '=', NetworkType.VLAN)
    .where('physical_network', '=', p.physicalNetwork)
    .where('segmentation_id', '=', p.segmentationId)
    .executeTakeFirst();
  if (clash) {
    const detail = `Unable to create the network. The VLAN ${p.segmentationId} on physical network ${p.physicalNetwork} is in use.`;
    throw new SluiceError('network.in-use', { detail }, 'VlanIdInUse');
  }
}

export async function updateNetwork(db: Db, id: string, changes: NetworkChanges): Promise<Network> {
  const values: Updateable<NetworkTable> = { updated_at: now() };
  if (changes.name !== undefined) values.name = changes.name;
  if (changes.description !== undefined) values.description = changes.description;
  if (changes.adminStateUp !== undefined) values.admin_state_up = toBool(changes.adminStateUp);
  if (changes.shared !== undefined) values.shared = toBool(changes.shared);
  if (changes.routerExternal !== undefined) values.router_external = toBool(changes.routerExternal);
  if (changes.mtu !== undefined) values.mtu = changes.mtu;
  const result = await db.updateTable('networks').set(values).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw networkNotFound(id);
  return (await getNetwork(db, id))!;
}

/**
 * Deletes a network with its subnets. Ports plugged into a device (a VIP, a router) keep it alive
 * (409 NetworkInUse); ports with no device go with it, freeing their addresses.
 */
export async function deleteNetwork(db: Db, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    if (!(await getNetwork(trx, id))) throw networkNotFound(id);
    const busy = await trx
      .selectFrom('ports')
      .select('id')
      .where('network_id', '=', id)
      .where('device_id', '!=', '')
      .executeTakeFirst();
    if (busy) {
      const detail = `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`;
      throw new SluiceError('network.in-use', { detail }, 'NetworkInUse');
    }
    const ports = await trx.selectFrom('ports').select('id').where('network_id', '=', id).execute();
    const subnets = await trx.selectFrom('subnets').select('id').where('network_id', '=', id).execute();
    await deleteTagsOf(trx, [id, ...ports.map((p) => p.id), ...subnets.map((s) => s.id)]);
    await trx.deleteFrom('ip_allocations').where('network_id', '=', id).execute();
    await trx.deleteFrom('ports').where('network_id', '=', id).execute();
    await trx.deleteFrom('subnets').where('network_id', '=', id).execute();
    await trx.deleteFrom('networks').where('id', '=', id).execute();
  });
}
