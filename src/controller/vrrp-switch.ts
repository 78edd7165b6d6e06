// The failover API on a load balancer in a VRRP group (docs/ha.md, "Failover API"): MASTER and BACKUP trade
// places without a gap by moving the load balancer to another group of the pair in two phases. 1: only the
// BACKUP's placement moves, to a group the MASTER's host does not hold (or a new one); that host's keepalived
// holds it as MASTER and adds the VIP (a reload announces it with gratuitous ARP), so both hosts hold and serve
// it. 2: once that agent reported MASTER for the load balancer (the report swapped the roles), the old MASTER's
// placement follows and its keepalived drops the VIP. A placement counts as moved when it is scheduled at the
// failover's revision.
import type { Logger } from 'pino';
import type { Agent } from '../model/agent.ts';
import type { LoadBalancer } from '../model/load-balancer.ts';
import type { Db } from '../store/database.ts';
import type { Outcome } from '../store/repositories/completion-repository.ts';
import type { Placement } from '../store/repositories/placement-repository.ts';
import {
  assignVrrpGroup,
  createVrrpGroupInFreeSlot,
  deleteEmptyVrrpGroups,
  getVrrpGroup,
  mastersInVrrpGroup,
  type VrrpGroupRow,
  vipPhysicalNetwork,
  vrrpGroupsOfPair,
} from '../store/repositories/vrrp-group-repository.ts';
import { vrrpEndpoint } from '../store/repositories/vrrp-view.ts';

export type VrrpSwitch = Readonly<{
  /** a placement changed group: the agents' long-polls must wake */
  changed: boolean;
  /** both placements are in the new group behind the new MASTER (the apply verdict decides the rest) */
  moved: boolean;
  /** why the switch cannot be done (the change goes ERROR) */
  refused?: string;
}>;

/**
 * Advances the switch of a failover one step. Undefined when the load balancer is not switched this way (not
 * in a group on two live agents): the caller re-binds placements as for any failover.
 */
export async function switchVrrpMaster(
  db: Db,
  lb: LoadBalancer,
  placements: readonly Placement[],
  agents: readonly Agent[],
  logger: Logger,
): Promise<VrrpSwitch | undefined> {
  if (lb.topology !== 'ACTIVE_STANDBY') return undefined;
  const master = placements.find((p) => p.role === 'MASTER');
  const backup = placements.find((p) => p.role === 'BACKUP');
  const agent = (id: string | null) => agents.find((a) => a.id === id && a.status === 'UP');
  if (!master?.vrrpGroupId || !backup?.vrrpGroupId || master.agentId === backup.agentId) return undefined;
  const masterAgent = agent(master.agentId);
  const backupAgent = agent(backup.agentId);
  if (!masterAgent || !backupAgent) return undefined;
  const physnet = (await vipPhysicalNetwork(db, lb.vip.networkId))?.physnet ?? null;
  const masterAt = vrrpEndpoint(masterAgent.vrrpAddresses, physnet);
  const backupAt = vrrpEndpoint(backupAgent.vrrpAddresses, physnet);
  if (!masterAt || !backupAt) return undefined;
  const moved = (p: Placement) => (p.scheduledRevision ?? -1) >= lb.revision;
  /** The BACKUP's placement joins `group`, marked moved at this revision. */
  const join = (group: VrrpGroupRow) =>
    assignVrrpGroup(
      db,
      group,
      lb.vip.address,
      [{ placementId: backup.id, agentId: backupAgent.id, vrrpIp: backupAt.address }],
      lb.revision,
    );

  if (moved(master) && moved(backup))
    return { changed: false, moved: master.vrrpGroupId === backup.vrrpGroupId };
  if (moved(master) && !moved(backup)) {
    // Phase 2: the new MASTER's keepalived holds the VIP (its report swapped the roles): the old one follows.
    const group = await getVrrpGroup(db, master.vrrpGroupId);
    if (!group) return undefined;
    const left = backup.vrrpGroupId;
    await join(group);
    await deleteEmptyVrrpGroups(db, [left]);
    logger.info({ loadBalancer: lb.id, group: group.id }, 'failover: the old MASTER left its VRRP group');
    return { changed: true, moved: true };
  }
  if (moved(backup)) return { changed: false, moved: false }; // phase 1 done: waiting for its MASTER report

  // Phase 1: the BACKUP's placement joins another group of the pair.
  const current = await getVrrpGroup(db, master.vrrpGroupId);
  const pair = current && new Set([current.preferred_agent_id, current.peer_agent_id]);
  if (!current || !pair?.has(masterAgent.id) || !pair.has(backupAgent.id)) return undefined;
  const target = await switchTarget(db, lb, current, masterAgent.id, backupAgent.id);
  if (!target) return { changed: false, moved: false, refused: 'no VRRP router id is free for the switch' };
  await join(target);
  logger.info(
    { loadBalancer: lb.id, group: target.id, slot: Number(target.slot) },
    'failover: the BACKUP joined another VRRP group of the pair',
  );
  return { changed: true, moved: false };
}

/**
 * The group the BACKUP's placement joins: one of the pair's groups on the network (either orientation, any slot)
 * that the MASTER's host does not hold, the other orientation's first and then the lowest slot; none → a new one
 * preferring the BACKUP's host in the next free slot. keepalived's nopreempt keeps a group where it is, so joining
 * a group the MASTER's host holds (a takeover put it there) would not move the VIP. The new group has no MASTER
 * yet: the BACKUP's host, alone in it in phase 1 and preferred (priority 150), takes it after its master-down
 * interval. Undefined when no router id is free.
 */
async function switchTarget(
  db: Db,
  lb: LoadBalancer,
  current: VrrpGroupRow,
  masterAgentId: string,
  backupAgentId: string,
): Promise<VrrpGroupRow | undefined> {
  const groups = (await vrrpGroupsOfPair(db, current.network_id, [masterAgentId, backupAgentId]))
    .filter((g) => g.id !== current.id)
    .sort(
      (x, y) =>
        Number(x.preferred_agent_id !== backupAgentId) - Number(y.preferred_agent_id !== backupAgentId) ||
        Number(x.slot) - Number(y.slot),
    );
  for (const group of groups)
    if (!(await mastersInVrrpGroup(db, group.id, lb.id)).includes(masterAgentId)) return group;
  return createVrrpGroupInFreeSlot(db, {
    networkId: current.network_id,
    subnetId: current.subnet_id,
    preferredAgentId: backupAgentId,
    peerAgentId: masterAgentId,
    projectId: await anchorProjectOf(db, current.anchor_port_id, lb.projectId),
  });
}

/** The anchor of the new group belongs to whoever owns the current group's anchor (the service project). */
async function anchorProjectOf(db: Db, portId: string, fallback: string): Promise<string> {
  const port = await db.selectFrom('ports').select('project_id').where('id', '=', portId).executeTakeFirst();
  return port?.project_id ?? fallback;
}

/** The verdict while the switch is not done: waiting, or an error once the apply timeout has passed. */
export function switchVerdict(
  lb: LoadBalancer,
  backupAgentId: string | null,
  clock: { now: number; timeoutMs: number },
): Extract<Outcome, { ok: false }> | 'waiting' {
  if (clock.now - Date.parse(lb.updatedAt ?? lb.createdAt) < clock.timeoutMs) return 'waiting';
  return {
    ok: false,
    reason: `failover: agent ${backupAgentId} did not report holding the VIP (VRRP MASTER) within ${clock.timeoutMs / 1000} s`,
  };
}
