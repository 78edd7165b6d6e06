// Puts an ACTIVE_STANDBY load balancer in a VRRP group once its placements are bound (docs/ha.md, "VRRP
// layout"): MASTER and BACKUP on two live agents that both registered an address for the VIP network's
// physical network, IPv4 VIP → the group of (network, MASTER's agent, BACKUP's agent), found or created. A
// group is kept while its two agents are the load balancer's pair in either orientation (a role swap keeps it)
// and both still have their address; otherwise the load balancer leaves it. Without a group the load balancer
// keeps controller promotion, as before keepalived.
import net from 'node:net';
import type { Logger } from 'pino';
import { DEFAULT_DOMAIN_ID } from '../identity/authenticator.ts';
import { ADMIN_NAME } from '../identity/bootstrap.ts';
import type { Agent } from '../model/agent.ts';
import type { LoadBalancer } from '../model/load-balancer.ts';
import { type Db, inTransaction } from '../store/database.ts';
import { IdentityRepository } from '../store/repositories/identity-repository.ts';
import type { Placement } from '../store/repositories/placement-repository.ts';
import {
  assignVrrpGroup,
  findOrCreateVrrpGroup,
  getVrrpGroup,
  ungroupLoadBalancers,
  vipPhysicalNetwork,
} from '../store/repositories/vrrp-group-repository.ts';
import { vrrpEndpoint } from '../store/repositories/vrrp-view.ts';

/**
 * Brings the load balancer's VRRP group in line with its placements (as listPlacements gives them, after the
 * scheduler bound them). Returns true when a placement joined or left a group: the agents' long-polls must
 * then wake.
 */
export async function groupForVrrp(
  db: Db,
  lb: LoadBalancer,
  placements: readonly Placement[],
  agents: readonly Agent[],
  logger: Logger,
): Promise<boolean> {
  if (lb.topology !== 'ACTIVE_STANDBY') return false;
  const master = placements.find((p) => p.role === 'MASTER');
  const backup = placements.find((p) => p.role === 'BACKUP');
  const agent = (id: string | null | undefined) => agents.find((a) => a.id === id);
  const network = await vipPhysicalNetwork(db, lb.vip.networkId);
  const physnet = network?.physnet ?? null;
  const endpoint = (p: Placement | undefined) =>
    vrrpEndpoint(agent(p?.agentId)?.vrrpAddresses ?? null, physnet);
  const paired = master?.agentId && backup?.agentId && master.agentId !== backup.agentId;

  const current = master?.vrrpGroupId ?? backup?.vrrpGroupId ?? null;
  if (current !== null) {
    const group = await getVrrpGroup(db, current);
    const pair = group && new Set([group.preferred_agent_id, group.peer_agent_id]);
    const same =
      paired &&
      master.vrrpGroupId === current &&
      backup.vrrpGroupId === current &&
      pair?.has(master.agentId as string) &&
      pair.has(backup.agentId as string);
    if (same && endpoint(master) && endpoint(backup)) return false;
  }

  const up = (p: Placement | undefined) => agent(p?.agentId)?.status === 'UP';
  const masterAt = endpoint(master);
  const backupAt = endpoint(backup);
  const eligible = paired && up(master) && up(backup) && masterAt && backupAt && net.isIPv4(lb.vip.address);
  if (!eligible || !network) {
    if (current === null) return false;
    await ungroupLoadBalancers(db, [lb.id]);
    logger.info({ loadBalancer: lb.id }, 'left its VRRP group: its pair of agents no longer holds it');
    return true;
  }
  try {
    const joined = await inTransaction(db, async (trx) => {
      if (current !== null) await ungroupLoadBalancers(trx, [lb.id]);
      const group = await findOrCreateVrrpGroup(trx, {
        networkId: lb.vip.networkId,
        subnetId: lb.vip.subnetId,
        preferredAgentId: master.agentId as string,
        peerAgentId: backup.agentId as string,
        projectId: await anchorProject(trx, lb),
      });
      if (!group) return false;
      await assignVrrpGroup(trx, group, lb.vip.address, [
        { placementId: master.id, agentId: master.agentId as string, vrrpIp: masterAt.address },
        { placementId: backup.id, agentId: backup.agentId as string, vrrpIp: backupAt.address },
      ]);
      return true;
    });
    if (!joined)
      logger.warn(
        { loadBalancer: lb.id, network: lb.vip.networkId },
        'no VRRP router id is free on this network for its pair of agents: it stays on controller promotion',
      );
    return joined || current !== null;
  } catch (error) {
    // E.g. the VIP subnet has no address left for an anchor: the load balancer serves without a group.
    logger.warn({ loadBalancer: lb.id, err: error }, 'cannot put the load balancer in a VRRP group');
    return false;
  }
}

/**
 * The anchor port belongs to the service, not to a tenant: a group is shared by the load balancers of every
 * project on the network, and Octavia's own VRRP ports belong to its service project. Here that is the
 * bootstrap project `admin`; a store without one (unit tests) falls back to the load balancer's project.
 */
async function anchorProject(db: Db, lb: LoadBalancer): Promise<string> {
  const admin = await new IdentityRepository(db).findProjectByName(DEFAULT_DOMAIN_ID, ADMIN_NAME);
  return admin?.id ?? lb.projectId;
}
