// Operating status from what a data plane reports (reference §11.2), as a pure function: members from their
// check state, pools from UP/DOWN and their members, listeners from OPEN/FULL or their absence, and the load
// balancer starting ONLINE (OFFLINE when disabled) and downgraded by what lies below it.
import type { ProviderReport } from './provider-driver.ts';
import type { OperatingStatus } from './statuses.ts';

export type StatusInputs = Readonly<{
  loadBalancer: Readonly<{ adminStateUp: boolean; provisioningStatus: string }>;
  listeners: readonly Readonly<{ id: string; adminStateUp: boolean }>[];
  pools: readonly Readonly<{ id: string }>[];
  members: readonly Readonly<{ id: string; poolId: string; operatingStatus: string }>[];
}>;

export type StatusOutcome = Readonly<{
  loadBalancer: OperatingStatus;
  listeners: ReadonlyMap<string, OperatingStatus>;
  pools: ReadonlyMap<string, OperatingStatus>;
  members: ReadonlyMap<string, OperatingStatus>;
}>;

const MEMBER_STATUS: Readonly<Record<string, OperatingStatus>> = {
  UP: 'ONLINE',
  DOWN: 'ERROR',
  DRAIN: 'DRAINING',
  MAINT: 'OFFLINE',
  'no check': 'NO_MONITOR',
};

export function operatingStatuses(inputs: StatusInputs, report: ProviderReport): StatusOutcome {
  let lb: OperatingStatus = inputs.loadBalancer.adminStateUp ? 'ONLINE' : 'OFFLINE';
  const degrade = () => {
    if (lb === 'ONLINE') lb = 'DEGRADED';
  };

  const listeners = new Map<string, OperatingStatus>();
  for (const listener of inputs.listeners) {
    const seen = report.listeners[listener.id];
    if (seen) {
      listeners.set(listener.id, seen.status === 'FULL' ? 'DEGRADED' : 'ONLINE');
      if (seen.status === 'FULL') degrade();
    } else {
      // A listener that should serve but is not reported is broken; a disabled one is just off.
      const shouldServe = listener.adminStateUp && inputs.loadBalancer.provisioningStatus === 'ACTIVE';
      listeners.set(listener.id, shouldServe ? 'ERROR' : 'OFFLINE');
    }
  }

  const members = new Map<string, OperatingStatus>();
  const pools = new Map<string, OperatingStatus>();
  for (const pool of inputs.pools) {
    const seen = report.pools[pool.id];
    const mine = inputs.members.filter((m) => m.poolId === pool.id);
    if (!seen) {
      pools.set(pool.id, 'OFFLINE');
      for (const m of mine) members.set(m.id, m.operatingStatus === 'NO_MONITOR' ? 'NO_MONITOR' : 'OFFLINE');
      continue;
    }
    let status: OperatingStatus = seen.status === 'DOWN' ? 'ERROR' : 'ONLINE';
    for (const m of mine) {
      const state = seen.members[m.id];
      const mapped =
        state === undefined
          ? m.operatingStatus === 'NO_MONITOR'
            ? 'NO_MONITOR'
            : 'OFFLINE'
          : MEMBER_STATUS[state];
      members.set(m.id, mapped ?? 'OFFLINE');
      if (mapped === 'ERROR') {
        if (status === 'ONLINE') status = 'DEGRADED';
        degrade();
      }
    }
    if (status === 'ERROR') lb = 'ERROR';
    pools.set(pool.id, status);
  }
  return { loadBalancer: lb, listeners, pools, members };
}
