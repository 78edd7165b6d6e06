// Which agent hosts what, as Neutron's LBaaS agent scheduler extensions ask it: the load balancers (v2) and
// v1 pools an agent serves, and the agent serving one of them (the SQL is in the placement and VIP repositories). "Serves" = a live STANDALONE or MASTER
// placement bound to the agent (architecture §1); a BACKUP stands by and hosts nothing yet.
import { isServing } from '../../model/agent.ts';
import type { V1Pool } from '../../model/lbaas-v1.ts';
import type { Db } from '../../store/database.ts';
import { getV1Pool } from '../../store/repositories/lbaas-v1-repository.ts';
import { getV1VipOfPool, poolIdsWithVipOn } from '../../store/repositories/lbaas-v1-vip-repository.ts';
import { listPlacements, loadBalancersOnAgent } from '../../store/repositories/placement-repository.ts';

/** The v1 pools whose VIP's load balancer the agent serves (a pool without a VIP runs nowhere). */
export async function v1PoolsOnAgent(db: Db, agentId: string): Promise<V1Pool[]> {
  const poolIds = await poolIdsWithVipOn(db, await loadBalancersOnAgent(db, agentId));
  const pools = await Promise.all(poolIds.map((id) => getV1Pool(db, id)));
  return pools.filter((p): p is V1Pool => p !== undefined);
}

/** The agent serving a load balancer: its serving placement's, or null when none is bound yet. */
export async function agentHostingLoadBalancer(db: Db, loadBalancerId: string): Promise<string | null> {
  const placements = await listPlacements(db, loadBalancerId);
  return placements.find((p) => isServing(p.role) && p.agentId !== null)?.agentId ?? null;
}

/** The agent serving a v1 pool, through its VIP's load balancer; null without a VIP or a bound agent. */
export async function agentHostingV1Pool(db: Db, poolId: string): Promise<string | null> {
  const vip = await getV1VipOfPool(db, poolId);
  return vip ? agentHostingLoadBalancer(db, vip.loadBalancerId) : null;
}
