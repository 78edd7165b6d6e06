// The failover API on a load balancer in a VRRP group (docs/ha.md, "Failover API"): MASTER and BACKUP trade
// places without a gap by moving the load balancer to the pair's other group in two phases. 1: only the
// BACKUP's placement moves; that host's keepalived holds the other group as MASTER and adds the VIP (a reload
// announces it with gratuitous ARP), so both hosts hold and serve it. 2: once that agent reported MASTER for
// the load balancer (the report swapped the roles), the old MASTER's placement follows and its keepalived
// drops the VIP. A placement counts as moved when it is scheduled at the failover's revision.
import type { Logger } from 'pino';
import type { Agent } from '../model/agent.ts';
import type { LoadBalancer } from '../model/load-balancer.ts';
import type { Db } from '../store/database.ts';
import type { Outcome } from '../store/repositories/completion-repository.ts';
import type { Placement } from '../store/repositories/placement-repository.ts';
import {
  assignVrrpGroup,
  deleteEmptyVrrpGroups,
  findOrCreateVrrpGroup,
  getVrrpGroup,
  mastersInVrrpGroup,
  type VrrpGroupRow,
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
  const network = await db
    .selectFrom('networks')
    .select('physical_network')
    .where('id', '=', lb.vip.networkId)
    .executeTakeFirst();
  const physnet = network?.physical_network ?? null;
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

  // Phase 1: the BACKUP's placement joins the pair's other group.
  const current = await getVrrpGroup(db, master.vrrpGroupId);
  const pair = current && new Set([current.preferred_agent_id, current.peer_agent_id]);
  if (!current || !pair?.has(masterAgent.id) || !pair.has(backupAgent.id)) return undefined;
  const preferredAgentId = current.preferred_agent_id === backupAgent.id ? masterAgent.id : backupAgent.id;
  const target = await findOrCreateVrrpGroup(db, {
    networkId: current.network_id,
    subnetId: current.subnet_id,
    preferredAgentId,
    peerAgentId: preferredAgentId === masterAgent.id ? backupAgent.id : masterAgent.id,
    projectId: await anchorProjectOf(db, current.anchor_port_id, lb.projectId),
  });
  if (!target) return { changed: false, moved: false, refused: 'no VRRP router id is free for the switch' };
  // keepalived's nopreempt keeps a group where it is: if the other group's MASTER is the MASTER's host too (a
  // takeover put it there), joining it would not move the VIP.
  const holders = await mastersInVrrpGroup(db, target.id, lb.id);
  if (holders.includes(masterAgent.id))
    return {
      changed: false,
      moved: false,
      refused: `cannot switch gracefully: both VRRP groups of the pair are held by agent ${masterAgent.id}`,
    };
  await join(target);
  logger.info({ loadBalancer: lb.id, group: target.id }, 'failover: the BACKUP joined the other VRRP group');
  return { changed: true, moved: false };
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
