// Decides, from what the agents reported for a load balancer's serving placements, whether its pending change
// is done (reference §2.3): applied everywhere → success; an agent's error for this revision → failure with
// that error; nothing decisive after the apply timeout → failure saying why. A delete completes once every
// serving placement removed it, or its agent is gone (a returning agent drops what it no longer serves). A
// BACKUP in a VRRP group on a live agent serves hot (keepalived may hand it the VIPs at any moment), so it
// counts as serving: ACTIVE means both hosts apply the revision, and its error fails the change.
import { type Agent, isServing } from '../model/agent.ts';
import type { LoadBalancer } from '../model/load-balancer.ts';
import type { Outcome } from '../store/repositories/completion-repository.ts';
import type { Placement } from '../store/repositories/placement-repository.ts';

export function judgePlacements(
  lb: LoadBalancer,
  placements: readonly Placement[],
  agents: readonly Agent[],
  clock: { now: number; timeoutMs: number },
): Outcome | 'waiting' {
  const live = (id: string | null) => id !== null && agents.some((a) => a.id === id && a.status === 'UP');
  const hot = (p: Placement) => p.role === 'BACKUP' && p.vrrpGroupId !== null && live(p.agentId);
  const serving = placements.filter((p) => isServing(p.role) || hot(p));
  const current = (p: Placement) => p.reportedRevision === lb.revision;
  if (lb.provisioningStatus === 'PENDING_DELETE') {
    if (serving.every((p) => !live(p.agentId) || (current(p) && p.applyError === null))) return { ok: true };
  } else {
    const failed = serving.find((p) => current(p) && p.applyError !== null);
    if (failed) return { ok: false, reason: failed.applyError as string };
    if (serving.length > 0 && serving.every((p) => p.agentId !== null && current(p))) return { ok: true };
  }
  const since = Date.parse(lb.updatedAt ?? lb.createdAt);
  if (clock.now - since < clock.timeoutMs) return 'waiting';
  const unbound = serving.some((p) => !live(p.agentId));
  const reason = unbound
    ? `no live agent serves provider '${lb.provider}'${lb.availabilityZone ? ` in availability zone '${lb.availabilityZone}'` : ''}`
    : `the agent did not apply revision ${lb.revision} within ${clock.timeoutMs / 1000} s`;
  return { ok: false, reason };
}
