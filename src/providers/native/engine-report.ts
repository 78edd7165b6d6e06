// What one engine observes, shaped as ProviderReport (Octavia heartbeat v3, reference §11.1) so the
// §11.2 roll-up applies unchanged: member MAINT (admin down) > DOWN (checked down) > DRAIN (weight 0) >
// UP / `no check`; a pool is DOWN when no member can take a session; a listener FULL at its limit. Each
// member's traffic counters ride along for metrics.
import type { DesiredMember } from '../../model/desired-state.ts';
import type { MemberCounters, ProviderReport } from '../../model/provider-driver.ts';
import type { PoolRuntime } from './balancing/pool-runtime.ts';
import type { ListenerBinding } from './listener-binding.ts';
import { atLimit } from './listener-config.ts';
import type { HealthTracker } from './members/member-health-view.ts';

type MemberStatus = 'UP' | 'DOWN' | 'DRAIN' | 'MAINT' | 'no check';

export function buildReport(
  bindings: ReadonlyMap<string, ListenerBinding>,
  pools: ReadonlyMap<string, PoolRuntime>,
  health: HealthTracker,
): ProviderReport {
  const listeners: Record<
    string,
    { status: 'OPEN' | 'FULL'; counters: ReturnType<ListenerBinding['stats']['snapshot']> }
  > = {};
  for (const [id, binding] of bindings) {
    const counters = binding.stats.snapshot();
    const full = atLimit(binding.current.listener, counters.activeConnections);
    listeners[id] = { status: full ? 'FULL' : 'OPEN', counters };
  }
  const reportedPools: Record<
    string,
    { status: 'UP' | 'DOWN'; members: Record<string, MemberStatus>; counters: Record<string, MemberCounters> }
  > = {};
  for (const [id, runtime] of pools) {
    const members: Record<string, MemberStatus> = {};
    const counters: Record<string, MemberCounters> = {};
    for (const member of runtime.pool.members) {
      members[member.id] = memberStatus(runtime, member, health);
      // Members that never had a session are left out: a report of 10,000 idle members stays small.
      const traffic = runtime.counters(member.id);
      if (traffic) counters[member.id] = traffic;
    }
    reportedPools[id] = { status: runtime.hasServableMember() ? 'UP' : 'DOWN', members, counters };
  }
  return { listeners, pools: reportedPools };
}

function memberStatus(runtime: PoolRuntime, member: DesiredMember, health: HealthTracker): MemberStatus {
  if (!member.adminStateUp) return 'MAINT';
  const checked = health.statusOf?.(runtime.pool.id, member.id);
  if (checked === 'DOWN' || (checked === undefined && !health.isUp(runtime.pool.id, member.id)))
    return 'DOWN';
  if (member.weight === 0) return 'DRAIN';
  return checked ?? 'no check';
}
