// Floating IPs in the store (identity-networking-v1.md §2): an address on an external network, held by its
// own port (device_owner network:floatingip), optionally associated with a port. Associating with a load
// balancer's VIP port bumps that load balancer's revision in the same transaction, so its data plane also
// answers on the floating address (desired-state-repository.ts appends it to vip.additional).
import type { Selectable } from 'kysely';
import { SluiceError } from '../../errors.ts';
import { DEVICE_OWNER_FLOATINGIP, type FloatingIp } from '../../model/router.ts';
import { newId, now } from '../codec.ts';
import { type Db, inTransaction } from '../database.ts';
import type { FloatingIpTable } from '../networking-v1-schema.ts';
import { networkNotFound, type Visibility } from './network-rows.ts';
import { allocatePort, deletePort, getPort } from './port-repository.ts';
import { deleteTagsOf } from './tag-repository.ts';

export type FloatingIpInput = Readonly<{
  projectId: string;
  floatingNetworkId: string;
  floatingIpAddress?: string;
  subnetId?: string;
  description?: string;
  portId?: string | null;
  fixedIpAddress?: string;
}>;

export type Association = Readonly<{ portId: string | null; fixedIpAddress?: string }>;

/** A write's result: the floating IP and the load balancers whose served addresses changed. */
export type FloatingIpChange = Readonly<{ floatingIp: FloatingIp; loadBalancerIds: readonly string[] }>;

export const floatingIpNotFound = (id: string) =>
  new SluiceError('network.not-found', { kind: 'Floating IP', id }, 'FloatingIPNotFound');

const badRequest = (msg: string) =>
  new SluiceError('network.http-bad-request', { detail: `Bad floatingip request: ${msg}.` }, 'BadRequest');

function toFloatingIp(row: Selectable<FloatingIpTable>): FloatingIp {
  const associated = row.port_id !== null;
  return {
    id: row.id,
    projectId: row.project_id,
    description: row.description,
    floatingNetworkId: row.floating_network_id,
    floatingSubnetId: row.floating_subnet_id,
    floatingIpAddress: row.floating_ip_address,
    floatingPortId: row.floating_port_id,
    portId: row.port_id,
    // The database nulls port_id when the port goes; the rest of the association goes with it.
    fixedIpAddress: associated ? row.fixed_ip_address : null,
    routerId: associated ? row.router_id : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function getFloatingIp(db: Db, id: string): Promise<FloatingIp | undefined> {
  const row = await db.selectFrom('floatingips').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toFloatingIp(row);
}

export async function listFloatingIps(db: Db, visibility: Visibility): Promise<FloatingIp[]> {
  let query = db.selectFrom('floatingips').selectAll();
  if (visibility !== 'all') query = query.where('project_id', '=', visibility.projectId ?? '');
  return (await query.orderBy('created_at').orderBy('id').execute()).map(toFloatingIp);
}

/** The floating addresses a port answers on, as additional VIP entries (for the desired state). */
export async function floatingAddressesOfPort(
  db: Db,
  portId: string | null,
): Promise<{ address: string; subnetId: string }[]> {
  if (!portId) return [];
  const rows = await db
    .selectFrom('floatingips')
    .select(['floating_ip_address', 'floating_subnet_id'])
    .where('port_id', '=', portId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ address: r.floating_ip_address, subnetId: r.floating_subnet_id }));
}

/** Allocates an address on an external network (400 unless `router:external`), associating it if asked. */
export async function createFloatingIp(db: Db, input: FloatingIpInput): Promise<FloatingIpChange> {
  return inTransaction(db, async (trx) => {
    const network = await trx
      .selectFrom('networks')
      .select(['id', 'router_external'])
      .where('id', '=', input.floatingNetworkId)
      .executeTakeFirst();
    if (!network) throw networkNotFound(input.floatingNetworkId);
    if (network.router_external !== 1) {
      throw badRequest(`Network ${network.id} is not a valid external network`);
    }
    const id = newId();
    const fixedIps =
      input.floatingIpAddress !== undefined || input.subnetId !== undefined
        ? [{ subnetId: input.subnetId, ipAddress: input.floatingIpAddress }]
        : undefined;
    // Neutron gives the floating address's port no project: only an admin sees it in port lists.
    const port = await allocatePort(trx, {
      networkId: network.id,
      projectId: '',
      deviceId: id,
      deviceOwner: DEVICE_OWNER_FLOATINGIP,
      fixedIps,
    });
    const address = port.fixedIps[0];
    if (!address) throw badRequest(`No IP addresses available on external network ${network.id}`);
    const at = now();
    await trx
      .insertInto('floatingips')
      .values({
        id,
        project_id: input.projectId,
        description: input.description ?? '',
        floating_network_id: network.id,
        floating_subnet_id: address.subnetId,
        floating_ip_address: address.ipAddress,
        floating_port_id: port.id,
        port_id: null,
        fixed_ip_address: null,
        router_id: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    if (input.portId) {
      return associate(trx, id, { portId: input.portId, fixedIpAddress: input.fixedIpAddress });
    }
    return { floatingIp: (await getFloatingIp(trx, id))!, loadBalancerIds: [] };
  });
}

/** Associates (port id) or disassociates (null) the floating IP; description changes go along. */
export async function updateFloatingIp(
  db: Db,
  id: string,
  changes: Partial<Association> & { description?: string },
): Promise<FloatingIpChange> {
  return inTransaction(db, async (trx) => {
    if (changes.description !== undefined) {
      await trx
        .updateTable('floatingips')
        .set({ description: changes.description, updated_at: now() })
        .where('id', '=', id)
        .execute();
    }
    if (changes.portId === undefined)
      return { floatingIp: (await getFloatingIp(trx, id))!, loadBalancerIds: [] };
    return associate(trx, id, { portId: changes.portId, fixedIpAddress: changes.fixedIpAddress });
  });
}

/** Frees the floating address (its port goes too) and stops any load balancer answering on it. */
export async function deleteFloatingIp(db: Db, id: string): Promise<readonly string[]> {
  return inTransaction(db, async (trx) => {
    const fip = await getFloatingIp(trx, id);
    if (!fip) throw floatingIpNotFound(id);
    const loadBalancerIds = await bumpLoadBalancersOn(trx, [fip.portId]);
    await deleteTagsOf(trx, [id]);
    await trx.deleteFrom('floatingips').where('id', '=', id).execute();
    await deletePort(trx, fip.floatingPortId);
    return loadBalancerIds;
  });
}

async function associate(trx: Db, id: string, association: Association): Promise<FloatingIpChange> {
  const fip = await getFloatingIp(trx, id);
  if (!fip) throw floatingIpNotFound(id);
  let fixed: { address: string; subnetId: string } | null = null;
  if (association.portId !== null) {
    const port = await getPort(trx, association.portId);
    if (!port) {
      throw new SluiceError('network.not-found', { kind: 'Port', id: association.portId }, 'PortNotFound');
    }
    const candidates = port.fixedIps.filter(
      (ip) => association.fixedIpAddress === undefined || ip.ipAddress === association.fixedIpAddress,
    );
    if (candidates.length === 0) {
      throw badRequest(
        association.fixedIpAddress === undefined
          ? `Port ${port.id} does not have fixed ip`
          : `Port ${port.id} does not have fixed ip ${association.fixedIpAddress}`,
      );
    }
    fixed = { address: candidates[0].ipAddress, subnetId: candidates[0].subnetId };
    const clash = await trx
      .selectFrom('floatingips')
      .select(['id', 'floating_ip_address'])
      .where('port_id', '=', port.id)
      .where('fixed_ip_address', '=', fixed.address)
      .where('floating_network_id', '=', fip.floatingNetworkId)
      .where('id', '!=', fip.id)
      .executeTakeFirst();
    if (clash) {
      const detail = `Cannot associate floating IP ${fip.floatingIpAddress} (${fip.id}) with port ${port.id} using fixed IP ${fixed.address}, as that fixed IP already has a floating IP on external network ${fip.floatingNetworkId}.`;
      throw new SluiceError('network.in-use', { detail }, 'FloatingIPPortAlreadyAssociated');
    }
  }
  const routerId = fixed ? await routerBetween(trx, fip.floatingNetworkId, fixed.subnetId) : null;
  await trx
    .updateTable('floatingips')
    .set({
      port_id: association.portId,
      fixed_ip_address: fixed?.address ?? null,
      router_id: routerId,
      updated_at: now(),
    })
    .where('id', '=', id)
    .execute();
  const loadBalancerIds = await bumpLoadBalancersOn(trx, [fip.portId, association.portId]);
  return { floatingIp: (await getFloatingIp(trx, id))!, loadBalancerIds };
}

/**
 * The router that joins the floating network to the fixed address's subnet (gateway on one, interface on
 * the other), or null: Sluice needs no router to serve the address (127/8 is local), so none is required.
 */
async function routerBetween(db: Db, floatingNetworkId: string, subnetId: string): Promise<string | null> {
  const row = await db
    .selectFrom('routers as r')
    .innerJoin('ports as p', 'p.device_id', 'r.id')
    .innerJoin('ip_allocations as a', 'a.port_id', 'p.id')
    .select('r.id')
    .where('r.gateway_network_id', '=', floatingNetworkId)
    .where('p.device_owner', '=', 'network:router_interface')
    .where('a.subnet_id', '=', subnetId)
    .orderBy('r.created_at')
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Bumps the revision of the load balancers whose VIP is one of `portIds`, whatever their provisioning status
 * (their agents converge on the newest revision), and returns their ids for the change feed.
 */
async function bumpLoadBalancersOn(db: Db, portIds: readonly (string | null)[]): Promise<string[]> {
  const ports = [...new Set(portIds.filter((p): p is string => p !== null))];
  if (ports.length === 0) return [];
  const rows = await db
    .selectFrom('load_balancers')
    .select('id')
    .where('vip_port_id', 'in', ports)
    .where('provisioning_status', '!=', 'DELETED')
    .execute();
  const ids = rows.map((r) => r.id);
  if (ids.length > 0) {
    await db
      .updateTable('load_balancers')
      .set((eb) => ({ revision: eb('revision', '+', 1), updated_at: now() }))
      .where('id', 'in', ids)
      .execute();
  }
  return ids;
}
