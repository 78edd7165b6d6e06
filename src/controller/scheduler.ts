// The scheduler (architecture §1): binds each placement of a load balancer to a live agent that serves its
// provider (in its availability zone when it has one), the least loaded first, a BACKUP away from its MASTER.
// It also moves placements off dead agents: a BACKUP on a live agent takes over its MASTER's role (the
// standby is promoted, as keepalived would), otherwise the placement moves to another live agent.
import { type Agent, isServing } from '../model/agent.ts';
import type { LoadBalancer } from '../model/load-balancer.ts';
import type { Db } from '../store/database.ts';
import {
  bindPlacement,
  type Placement,
  placementCounts,
} from '../store/repositories/placement-repository.ts';

export type AgentWanted = Readonly<{
  provider: string;
  availabilityZone: string | null;
  avoid: readonly string[];
  /**
   * zones of the load balancer's other placements: a standby goes to another zone when one has a live agent,
   * so one zone's outage does not take both (seed 000 booted its pair into two zones)
   */
  spreadFrom?: readonly (string | null)[];
}>;

/** The live agent to bind to, or undefined when none qualifies. Pure, for the unit tests. */
export function chooseAgent(
  agents: readonly Agent[],
  load: ReadonlyMap<string, number>,
  wanted: AgentWanted,
): Agent | undefined {
  const fit = agents.filter(
    (a) =>
      a.status === 'UP' &&
      a.providers.includes(wanted.provider) &&
      (wanted.availabilityZone === null || a.availabilityZone === wanted.availabilityZone) &&
      !wanted.avoid.includes(a.id),
  );
  const sameZone = (a: Agent) =>
    Number(a.availabilityZone !== null && (wanted.spreadFrom ?? []).includes(a.availabilityZone));
  return fit.sort(
    (a, b) =>
      sameZone(a) - sameZone(b) || (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || a.id.localeCompare(b.id),
  )[0];
}

/**
 * Binds the load balancer's placements (as listPlacements gives them: serving roles first, so a MASTER is
 * placed before its BACKUP is kept away from it) that need an agent: unbound ones, ones on an agent that is not UP, and,
 * during a failover (`failover` true), every one not yet moved at this revision. Returns true when a binding
 * changed (the agents' long-polls must then wake).
 */
export async function schedulePlacements(
  db: Db,
  lb: LoadBalancer,
  placements: readonly Placement[],
  agents: readonly Agent[],
  failover: boolean,
): Promise<boolean> {
  const live = (id: string | null) => id !== null && agents.some((a) => a.id === id && a.status === 'UP');
  // Counted once a placement needs an agent: most passes (every pending change of a bound load balancer) bind
  // nothing, and counting is a scan of every placement.
  let counted: Map<string, number> | undefined;
  let changed = false;
  const boundTo = new Map(placements.map((p) => [p.id, p.agentId]));
  for (const placement of placements) {
    const current = boundTo.get(placement.id) ?? null;
    const moving = failover && (placement.scheduledRevision ?? -1) < lb.revision;
    if (live(current) && !moving) continue;
    // A serving placement whose agent died hands over to a live standby first: the promoted agent sees the
    // load balancer in its next long-poll answer and binds the VIP.
    if (isServing(placement.role) && !moving) {
      const standby = placements.find((p) => p.role === 'BACKUP' && live(boundTo.get(p.id) ?? null));
      if (standby) {
        await bindPlacement(db, standby.id, boundTo.get(standby.id) ?? null, lb.revision, placement.role);
        await bindPlacement(db, placement.id, current, lb.revision, 'BACKUP');
        boundTo.set(placement.id, current);
        changed = true;
        continue;
      }
    }
    const others = [...boundTo.entries()].filter(([id]) => id !== placement.id).map(([, agent]) => agent);
    const avoid = [...others, ...(moving && current ? [current] : [])].filter((a): a is string => a !== null);
    const spreadFrom = others.map((id) => agents.find((a) => a.id === id)?.availabilityZone ?? null);
    const wanted = { provider: lb.provider, availabilityZone: lb.availabilityZone, avoid, spreadFrom };
    counted ??= new Map(await placementCounts(db));
    const load = counted;
    const agent =
      chooseAgent(agents, load, wanted) ??
      (moving && live(current) ? agents.find((a) => a.id === current) : undefined);
    if (!agent) continue;
    await bindPlacement(db, placement.id, agent.id, lb.revision);
    boundTo.set(placement.id, agent.id);
    load.set(agent.id, (load.get(agent.id) ?? 0) + 1);
    changed = true;
  }
  return changed;
}
