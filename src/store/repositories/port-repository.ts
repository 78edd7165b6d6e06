// Ports in the store: create with IPAM (ip-allocator.ts) and a generated MAC, reads with visibility,
// update (including re-addressing), device binding for load balancers, and delete (frees the addresses).
import { randomInt } from 'node:crypto';
import type { Selectable, Updateable } from 'kysely';
import { SluiceError } from '../../errors.ts';
import { normalizeIp } from '../../model/ipam.ts';
import { type FixedIp, generateMac, normalizeMac, type Port, portStatus } from '../../model/network.ts';
import { newId, now, toBool, toJson } from '../codec.ts';
import { type Db, inTransaction } from '../database.ts';
import type { PortTable } from '../schema.ts';
import { allocateFixedIps, type FixedIpRequest, releaseFixedIps } from './ip-allocator.ts';
import { groupBy, portNotFound, requireNetwork, toPort, type Visibility } from './network-rows.ts';
import { deleteTagsOf } from './tag-repository.ts';

export type { FixedIpRequest } from './ip-allocator.ts';

export type AddressPairRequest = { ipAddress: string; macAddress?: string };

export type PortInput = {
  networkId: string;
  projectId: string;
  name?: string;
  description?: string;
  deviceId?: string;
  deviceOwner?: string;
  /** undefined: one automatic address (ip-allocator.ts); []: no address */
  fixedIps?: readonly FixedIpRequest[];
  macAddress?: string;
  adminStateUp?: boolean;
  allowedAddressPairs?: readonly AddressPairRequest[];
  securityGroups?: readonly string[];
};

export type PortChanges = Partial<{
  name: string;
  description: string;
  adminStateUp: boolean;
  deviceId: string;
  deviceOwner: string;
  /** a new MAC, unused on the network (409 MacAddressInUse) */
  macAddress: string;
  /** replaces the port's addresses; ones it already holds are kept, not re-allocated */
  fixedIps: readonly FixedIpRequest[];
  allowedAddressPairs: readonly AddressPairRequest[];
  securityGroups: readonly string[];
}>;

export async function getPort(db: Db, id: string): Promise<Port | undefined> {
  const row = await db.selectFrom('ports').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withFixedIps(db, [row]))[0] : undefined;
}

/** Ports the viewer may see: all, or the project's own plus those on the project's networks; oldest first. */
export async function listPorts(db: Db, visibility: Visibility): Promise<Port[]> {
  let query = db.selectFrom('ports').selectAll();
  if (visibility !== 'all') {
    const projectId = visibility.projectId ?? '';
    query = query.where((eb) =>
      eb.or([
        eb('project_id', '=', projectId),
        eb('network_id', 'in', eb.selectFrom('networks').select('id').where('project_id', '=', projectId)),
      ]),
    );
  }
  return withFixedIps(db, await query.orderBy('created_at').orderBy('id').execute());
}

async function withFixedIps(db: Db, rows: Selectable<PortTable>[]): Promise<Port[]> {
  if (rows.length === 0) return [];
  const allocations = await db
    .selectFrom('ip_allocations')
    .selectAll()
    .where(
      'port_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const byPort = groupBy(allocations, (a) => a.port_id);
  return rows.map((row) =>
    toPort(
      row,
      (byPort.get(row.id) ?? []).map((a) => ({ subnetId: a.subnet_id, ipAddress: a.ip_address })),
    ),
  );
}

/**
 * Creates a port and its addresses in one transaction (the caller's, when `db` is one). Refuses an address
 * outside the subnet (400), already given out (409 IpAddressAlreadyAllocated) or none left (409
 * IpAddressGenerationFailure).
 */
export async function allocatePort(db: Db, input: PortInput, id: string = newId()): Promise<Port> {
  return inTransaction(db, async (trx) => {
    await requireNetwork(trx, input.networkId);
    const mac = await chooseMac(trx, input.networkId, input.macAddress);
    const deviceId = input.deviceId ?? '';
    const at = now();
    await trx
      .insertInto('ports')
      .values({
        id,
        name: input.name ?? '',
        description: input.description ?? '',
        network_id: input.networkId,
        project_id: input.projectId,
        mac_address: mac,
        device_id: deviceId,
        device_owner: input.deviceOwner ?? '',
        status: portStatus(deviceId),
        admin_state_up: toBool(input.adminStateUp ?? true),
        allowed_address_pairs: toJson(pairs(input.allowedAddressPairs ?? [], mac)),
        security_groups: toJson(input.securityGroups ?? []),
        created_at: at,
        updated_at: at,
      })
      .execute();
    await allocateFixedIps(trx, { networkId: input.networkId, portId: id }, input.fixedIps);
    return (await getPort(trx, id))!;
  });
}

/** A given MAC must be unused on the network (409 MacAddressInUse); a generated one is retried until it is. */
async function chooseMac(db: Db, networkId: string, requested: string | undefined): Promise<string> {
  const inUse = async (mac: string) =>
    (await db
      .selectFrom('ports')
      .select('id')
      .where('network_id', '=', networkId)
      .where('mac_address', '=', mac)
      .executeTakeFirst()) !== undefined;
  if (requested !== undefined) {
    const mac = normalizeMac(requested) ?? requested;
    if (await inUse(mac)) {
      const detail = `Unable to complete operation for network ${networkId}. The mac address ${mac} is in use.`;
      throw new SluiceError('network.in-use', { detail }, 'MacAddressInUse');
    }
    return mac;
  }
  for (;;) {
    const mac = generateMac(() => randomInt(256));
    if (!(await inUse(mac))) return mac;
  }
}

/** An address pair without a MAC uses the port's own (Neutron's allowed-address-pairs default). */
const pairs = (requested: readonly AddressPairRequest[], mac: string) =>
  requested.map((p) => ({ ipAddress: p.ipAddress, macAddress: p.macAddress ?? mac }));

export async function updatePort(db: Db, id: string, changes: PortChanges): Promise<Port> {
  return inTransaction(db, async (trx) => {
    const port = await getPort(trx, id);
    if (!port) throw portNotFound(id);
    const values: Updateable<PortTable> = { updated_at: now() };
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.description !== undefined) values.description = changes.description;
    if (changes.adminStateUp !== undefined) values.admin_state_up = toBool(changes.adminStateUp);
    if (changes.deviceId !== undefined) {
      values.device_id = changes.deviceId;
      values.status = portStatus(changes.deviceId);
    }
    if (changes.deviceOwner !== undefined) values.device_owner = changes.deviceOwner;
    if (changes.macAddress !== undefined && changes.macAddress !== port.macAddress)
      values.mac_address = await chooseMac(trx, port.networkId, changes.macAddress);
    if (changes.allowedAddressPairs !== undefined)
      values.allowed_address_pairs = toJson(pairs(changes.allowedAddressPairs, port.macAddress));
    if (changes.securityGroups !== undefined) values.security_groups = toJson(changes.securityGroups);
    await trx.updateTable('ports').set(values).where('id', '=', id).execute();
    if (changes.fixedIps !== undefined) await readdress(trx, port, changes.fixedIps);
    return (await getPort(trx, id))!;
  });
}

/** Keeps the addresses the request names (or, for a bare subnet, one the port holds there); frees the rest
 * first, so an address can move between entries; then allocates what is new. */
async function readdress(db: Db, port: Port, requests: readonly FixedIpRequest[]): Promise<void> {
  const held = [...port.fixedIps];
  const keep: FixedIp[] = [];
  const fresh: FixedIpRequest[] = [];
  for (const request of requests) {
    const index = held.findIndex(
      (ip) =>
        (request.subnetId === undefined || ip.subnetId === request.subnetId) &&
        (request.ipAddress === undefined
          ? request.subnetId !== undefined
          : sameIp(ip.ipAddress, request.ipAddress)),
    );
    if (index >= 0) keep.push(...held.splice(index, 1));
    else fresh.push(request);
  }
  await releaseFixedIps(db, port.id, keep);
  await allocateFixedIps(db, { networkId: port.networkId, portId: port.id }, fresh);
}

const sameIp = (held: string, requested: string): boolean => normalizeIp(requested) === held;

/** Binds the port to a device (a load balancer's VIP: device_owner `Octavia`, device_id = its id). */
export function updatePortDevice(
  db: Db,
  portId: string,
  deviceId: string,
  deviceOwner: string,
): Promise<Port> {
  return updatePort(db, portId, { deviceId, deviceOwner });
}

/** Deletes the port and frees its addresses; false when there was no such port. */
export async function deletePort(db: Db, portId: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    await deleteTagsOf(trx, [portId]);
    await trx.deleteFrom('ip_allocations').where('port_id', '=', portId).execute();
    const result = await trx.deleteFrom('ports').where('id', '=', portId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}
