// SQL for VRRP groups (docs/ha.md, "VRRP layout"): finding or creating the group of a (network, preferred
// agent, peer agent, slot) with a router id free on that network for both agents and an anchor port on the VIP
// subnet, pointing a load balancer's placements at it (with the amphora columns Octavia shows), ungrouping
// them, and deleting groups no placement references any more together with their anchor port.
import net from 'node:net';
import type { Selectable } from 'kysely';
import { VRRP_DEFAULTS } from '../../model/vrrp.ts';
import { newId, now } from '../codec.ts';
import { type Db, inTransaction } from '../database.ts';
import type { VrrpGroupTable } from '../schema.ts';
import { allocatePort, deletePort } from './port-repository.ts';

export type VrrpGroupRow = Selectable<VrrpGroupTable>;

/** Router ids are one byte, 0 is not one (RFC 5798 §5.2.3, https://www.rfc-editor.org/rfc/rfc5798#section-5.2.3). */
export const VRID_MAX = 255;
/** The anchor is a Neutron port owned like a VIP port, so the port API refuses to delete or rebind it. */
export const ANCHOR_DEVICE_OWNER = 'Octavia';

/** keepalived instance name, the same on both hosts: `vrrp_<vrid>_<first 8 hex of the group id>`. */
export const vrrpGroupName = (group: Pick<VrrpGroupRow, 'id' | 'vrid'>): string =>
  `vrrp_${Number(group.vrid)}_${group.id.replaceAll('-', '').slice(0, 8)}`;

export async function getVrrpGroup(db: Db, id: string): Promise<VrrpGroupRow | undefined> {
  return db.selectFrom('vrrp_groups').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getVrrpGroups(db: Db, ids: readonly string[]): Promise<Map<string, VrrpGroupRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('vrrp_groups')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export type GroupKey = Readonly<{
  networkId: string;
  subnetId: string;
  preferredAgentId: string;
  peerAgentId: string;
  /** project owning the anchor port */
  projectId: string;
}>;

/**
 * The group of (network, preferred, peer) in slot 0, created when missing with the lowest router id that no
 * group on the network involving either agent uses, and an anchor port on `subnetId`. Undefined when all 255
 * are taken.
 */
export async function findOrCreateVrrpGroup(db: Db, key: GroupKey): Promise<VrrpGroupRow | undefined> {
  const existing = await findGroup(db, key, 0);
  if (existing) return existing;
  return createGroup(db, key, 'fixed');
}

/**
 * A new group of (network, preferred, peer) in the lowest slot none of theirs uses (the failover switch's, when
 * every group of the pair is held by the wrong host), allocated as findOrCreateVrrpGroup does. Undefined when
 * all 255 router ids are taken.
 */
export async function createVrrpGroupInFreeSlot(db: Db, key: GroupKey): Promise<VrrpGroupRow | undefined> {
  return createGroup(db, key, 'free');
}

/** The groups of the two agents on the network, either orientation, by slot (then preferred agent id). */
export async function vrrpGroupsOfPair(
  db: Db,
  networkId: string,
  agents: readonly [string, string],
): Promise<VrrpGroupRow[]> {
  const [x, y] = agents;
  return db
    .selectFrom('vrrp_groups')
    .selectAll()
    .where('network_id', '=', networkId)
    .where((eb) =>
      eb.or([
        eb.and([eb('preferred_agent_id', '=', x), eb('peer_agent_id', '=', y)]),
        eb.and([eb('preferred_agent_id', '=', y), eb('peer_agent_id', '=', x)]),
      ]),
    )
    .orderBy('slot')
    .orderBy('preferred_agent_id')
    .execute();
}

/** Inserts the group in slot 0 ('fixed') or in the lowest free slot of its pair and orientation ('free'). */
async function createGroup(
  db: Db,
  key: GroupKey,
  slots: 'fixed' | 'free',
): Promise<VrrpGroupRow | undefined> {
  return inTransaction(db, async (trx) => {
    const agents = [key.preferredAgentId, key.peerAgentId];
    const used = await trx
      .selectFrom('vrrp_groups')
      .select(['vrid', 'preferred_agent_id', 'peer_agent_id', 'slot'])
      .where('network_id', '=', key.networkId)
      .where((eb) => eb.or([eb('preferred_agent_id', 'in', agents), eb('peer_agent_id', 'in', agents)]))
      .execute();
    const taken = new Set(used.map((r) => Number(r.vrid)));
    let vrid = 1;
    while (taken.has(vrid)) vrid += 1;
    if (vrid > VRID_MAX) return undefined;
    const ours = new Set(
      used
        .filter((r) => r.preferred_agent_id === key.preferredAgentId && r.peer_agent_id === key.peerAgentId)
        .map((r) => Number(r.slot)),
    );
    let slot = 0;
    while (slots === 'free' && ours.has(slot)) slot += 1;
    const id = newId();
    // The anchor comes from the same IPAM as the VIP port, so no port is ever given its address meanwhile.
    const port = await allocatePort(trx, {
      networkId: key.networkId,
      projectId: key.projectId,
      name: `sluice-vrrp-anchor-${id}`,
      deviceId: id,
      deviceOwner: ANCHOR_DEVICE_OWNER,
      fixedIps: [{ subnetId: key.subnetId }],
    });
    const anchor = port.fixedIps.find((ip) => net.isIPv4(ip.ipAddress));
    if (!anchor) throw new Error(`subnet ${key.subnetId} gave the VRRP anchor no IPv4 address`);
    const inserted = await trx
      .insertInto('vrrp_groups')
      .values({
        id,
        network_id: key.networkId,
        subnet_id: key.subnetId,
        preferred_agent_id: key.preferredAgentId,
        peer_agent_id: key.peerAgentId,
        slot,
        vrid,
        anchor_port_id: port.id,
        anchor_address: anchor.ipAddress,
        created_at: now(),
      })
      .onConflict((oc) =>
        oc.columns(['network_id', 'preferred_agent_id', 'peer_agent_id', 'slot']).doNothing(),
      )
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
      // Another controller made the same group meanwhile: use theirs, give the anchor back.
      await deletePort(trx, port.id);
      return findGroup(trx, key, slot);
    }
    return getVrrpGroup(trx, id);
  });
}

function findGroup(db: Db, key: GroupKey, slot: number): Promise<VrrpGroupRow | undefined> {
  return db
    .selectFrom('vrrp_groups')
    .selectAll()
    .where('network_id', '=', key.networkId)
    .where('preferred_agent_id', '=', key.preferredAgentId)
    .where('peer_agent_id', '=', key.peerAgentId)
    .where('slot', '=', slot)
    .executeTakeFirst();
}

/** One placement's view of its group: its agent's address on the group's interface and the VIP it holds. */
export type GroupedPlacement = Readonly<{ placementId: string; agentId: string; vrrpIp: string }>;

/**
 * Points the load balancer's placements at the group and fills what the amphora API shows: vrrp_ip (its
 * agent's address), ha_ip (the VIP), vrrp_id (the router id) and vrrp_priority (150 on the group's preferred
 * agent, 100 on its peer: priority stays with the host when roles swap). With `revision`, the placements are
 * also marked scheduled at it (a failover's switch moves them one at a time: vrrp-switch.ts).
 */
export async function assignVrrpGroup(
  db: Db,
  group: VrrpGroupRow,
  vip: string,
  placements: readonly GroupedPlacement[],
  revision?: number,
): Promise<void> {
  for (const p of placements) {
    const preferred = p.agentId === group.preferred_agent_id;
    await db
      .updateTable('amphorae')
      .set({
        vrrp_group_id: group.id,
        vrrp_ip: p.vrrpIp,
        ha_ip: vip,
        vrrp_id: Number(group.vrid),
        vrrp_priority: preferred ? VRRP_DEFAULTS.preferredPriority : VRRP_DEFAULTS.peerPriority,
        updated_at: now(),
        ...(revision !== undefined && { scheduled_revision: revision }),
      })
      .where('id', '=', p.placementId)
      .execute();
  }
}

/**
 * Takes the load balancers' placements out of their groups (back to controller promotion, with the columns
 * ensurePlacements gives an ungrouped pair) and deletes the groups left empty. Returns the groups they left.
 */
export async function ungroupLoadBalancers(db: Db, lbIds: readonly string[]): Promise<string[]> {
  if (lbIds.length === 0) return [];
  const rows = await db
    .selectFrom('amphorae')
    .select('vrrp_group_id')
    .distinct()
    .where('load_balancer_id', 'in', [...lbIds])
    .where('vrrp_group_id', 'is not', null)
    .execute();
  const groups = rows.map((r) => r.vrrp_group_id as string);
  if (groups.length === 0) return [];
  await db
    .updateTable('amphorae')
    .set((eb) => ({
      vrrp_group_id: null,
      vrrp_ip: null,
      ha_ip: null,
      vrrp_id: 1,
      vrrp_priority: eb.case().when('role', '=', 'MASTER').then(100).else(90).end(),
      updated_at: now(),
    }))
    .where('load_balancer_id', 'in', [...lbIds])
    .where('vrrp_group_id', 'is not', null)
    .execute();
  await deleteEmptyVrrpGroups(db, groups);
  return groups;
}

/**
 * Deletes the groups (all, or those in `ids`) that no placement references any more, and frees their anchor
 * ports. Returns how many went.
 */
export async function deleteEmptyVrrpGroups(db: Db, ids?: readonly string[]): Promise<number> {
  if (ids?.length === 0) return 0;
  let query = db
    .selectFrom('vrrp_groups as g')
    .select(['g.id', 'g.anchor_port_id'])
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('amphorae as a').select('a.id').whereRef('a.vrrp_group_id', '=', 'g.id')),
      ),
    );
  if (ids) query = query.where('g.id', 'in', [...ids]);
  let deleted = 0;
  for (const group of await query.execute()) {
    await inTransaction(db, async (trx) => {
      // Checked again as it is deleted: a placement may have joined the group since the read above.
      const gone = await trx
        .deleteFrom('vrrp_groups')
        .where('id', '=', group.id)
        .where((eb) => eb.not(eb.exists(referencing(trx, group.id))))
        .executeTakeFirst();
      if (Number(gone.numDeletedRows) !== 1) return;
      await deletePort(trx, group.anchor_port_id);
      deleted += 1;
    });
  }
  return deleted;
}

const referencing = (db: Db, groupId: string) =>
  db.selectFrom('amphorae').select('id').where('vrrp_group_id', '=', groupId);

/** Groups the agent is in, with the network each serves. */
export async function vrrpGroupsOfAgent(db: Db, agentId: string): Promise<VrrpGroupRow[]> {
  return db
    .selectFrom('vrrp_groups')
    .selectAll()
    .where((eb) => eb.or([eb('preferred_agent_id', '=', agentId), eb('peer_agent_id', '=', agentId)]))
    .execute();
}

/** The agents of the MASTER placements in the group, other load balancers than `exceptLbId`: who holds it. */
export async function mastersInVrrpGroup(db: Db, groupId: string, exceptLbId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('amphorae')
    .select('agent_id')
    .distinct()
    .where('vrrp_group_id', '=', groupId)
    .where('role', '=', 'MASTER')
    .where('load_balancer_id', '!=', exceptLbId)
    .where('agent_id', 'is not', null)
    .execute();
  return rows.map((r) => r.agent_id as string);
}

/** Load balancers with a placement in one of the groups. */
export async function loadBalancersInVrrpGroups(db: Db, groupIds: readonly string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const rows = await db
    .selectFrom('amphorae')
    .select('load_balancer_id')
    .distinct()
    .where('vrrp_group_id', 'in', [...groupIds])
    .execute();
  return rows.map((r) => r.load_balancer_id).filter((id): id is string => id !== null);
}

/**
 * Live ACTIVE_STANDBY load balancers with an IPv4 VIP not (fully) in a group whose MASTER and BACKUP are on two
 * UP agents that both registered VRRP addresses: candidates for a group (the controller decides).
 */
export async function ungroupedVrrpPairs(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('amphorae as m')
    .innerJoin('amphorae as b', 'b.load_balancer_id', 'm.load_balancer_id')
    .innerJoin('load_balancers as lb', 'lb.id', 'm.load_balancer_id')
    .innerJoin('agents as am', 'am.id', 'm.agent_id')
    .innerJoin('agents as ab', 'ab.id', 'b.agent_id')
    .select('lb.id')
    .distinct()
    .where('m.role', '=', 'MASTER')
    .where('b.role', '=', 'BACKUP')
    .where('m.status', '!=', 'DELETED')
    .where('b.status', '!=', 'DELETED')
    .where((eb) => eb.or([eb('m.vrrp_group_id', 'is', null), eb('b.vrrp_group_id', 'is', null)]))
    .whereRef('m.agent_id', '!=', 'b.agent_id')
    .where('am.status', '=', 'UP')
    .where('ab.status', '=', 'UP')
    .where('am.vrrp_addresses', 'is not', null)
    .where('ab.vrrp_addresses', 'is not', null)
    .where('lb.provisioning_status', 'in', ['ACTIVE', 'ERROR'])
    .where('lb.vip_address', 'not like', '%:%')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The physical network of a VIP network (null for one without), which picks each agent's VRRP address;
 * undefined when the network is gone.
 */
export async function vipPhysicalNetwork(
  db: Db,
  networkId: string,
): Promise<{ physnet: string | null } | undefined> {
  const network = await db
    .selectFrom('networks')
    .select('physical_network')
    .where('id', '=', networkId)
    .executeTakeFirst();
  return network && { physnet: network.physical_network ?? null };
}
