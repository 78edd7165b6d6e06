// `show stat` rows as a ProviderReport (heartbeat v3, reference §11.1-11.2): frontends → listeners OPEN/FULL,
// backends `<pool>:<listener>` → pools UP/DOWN, servers → members; counters stay cumulative across reloads and
// restarts (a new worker starts from zero, so ListenerCounterBook carries what earlier workers counted).
import type { DesiredLoadBalancer, DesiredMember } from '../../model/desired-state.ts';
import type { ListenerCounters, ProviderReport } from '../../model/provider-driver.ts';
import type { StatRow } from './haproxy-socket.ts';

type MemberStatus = 'UP' | 'DOWN' | 'DRAIN' | 'MAINT' | 'no check';
type Cumulative = { bytesIn: number; bytesOut: number; totalConnections: number; requestErrors: number };

const ZERO: Cumulative = { bytesIn: 0, bytesOut: 0, totalConnections: 0, requestErrors: 0 };
/** When one member shows differently in the backends of several listeners, the worst wins. */
const SEVERITY: Readonly<Record<MemberStatus, number>> = {
  MAINT: 4,
  DOWN: 3,
  DRAIN: 2,
  UP: 1,
  'no check': 0,
};

/** Cumulative listener counters over every HAProxy worker that served them. */
export class ListenerCounterBook {
  #pid: number | undefined;
  readonly #base = new Map<string, Cumulative>();
  readonly #current = new Map<string, Cumulative>();

  /** Records what worker `pid` counts now; a new pid means the previous worker's counts become the base. */
  observe(pid: number, rows: readonly StatRow[]): void {
    if (pid !== this.#pid) {
      for (const [id, counts] of this.#current) this.#base.set(id, add(this.#base.get(id) ?? ZERO, counts));
      this.#current.clear();
      this.#pid = pid;
    }
    for (const row of rows) {
      if (row.svname !== 'FRONTEND') continue;
      const counts = {
        bytesIn: num(row.bin),
        bytesOut: num(row.bout),
        totalConnections: num(row.stot),
        requestErrors: num(row.ereq),
      };
      const previous = this.#current.get(row.pxname);
      // Counters only grow within one worker; a drop means `clear counters` or a restart under the same pid.
      if (previous && counts.totalConnections < previous.totalConnections) {
        this.#base.set(row.pxname, add(this.#base.get(row.pxname) ?? ZERO, previous));
      }
      this.#current.set(row.pxname, counts);
    }
  }

  total(listenerId: string): Cumulative {
    return add(this.#base.get(listenerId) ?? ZERO, this.#current.get(listenerId) ?? ZERO);
  }
}

export function buildReport(
  desired: DesiredLoadBalancer,
  rows: readonly StatRow[],
  book: ListenerCounterBook,
): ProviderReport {
  const listeners: Record<string, { status: 'OPEN' | 'FULL'; counters: ListenerCounters }> = {};
  const pools: Record<string, { status: 'UP' | 'DOWN'; members: Record<string, MemberStatus> }> = {};
  const members = new Map<string, DesiredMember>(
    desired.pools.flatMap((p) => p.members.map((m) => [m.id, m])),
  );
  const listenerIds = new Set(desired.listeners.map((l) => l.id));
  for (const row of rows) {
    if (row.svname === 'FRONTEND') {
      if (!listenerIds.has(row.pxname)) continue;
      listeners[row.pxname] = {
        // HAProxy shows FULL only while a listener is paused at its limit; a frontend whose current sessions
        // reached its session limit (slim = maxconn) refuses the next client just the same.
        status:
          row.status === 'FULL' || (num(row.slim) > 0 && num(row.scur) >= num(row.slim)) ? 'FULL' : 'OPEN',
        counters: { ...book.total(row.pxname), activeConnections: num(row.scur) },
      };
      continue;
    }
    const poolId = row.pxname.split(':')[0];
    if (row.pxname.split(':').length !== 2) continue;
    pools[poolId] ??= { status: 'DOWN', members: {} };
    const pool = pools[poolId];
    if (row.svname === 'BACKEND') {
      if (row.status.startsWith('UP')) pool.status = 'UP';
      continue;
    }
    const member = members.get(row.svname);
    if (!member) continue;
    const status = memberStatus(member, row.status);
    const seen = pool.members[row.svname];
    if (seen === undefined || SEVERITY[status] > SEVERITY[seen]) pool.members[row.svname] = status;
  }
  return { listeners, pools };
}

/** HAProxy's server status (`UP`, `UP 1/3`, `DOWN 1/2`, `NOLB`, `DRAIN`, `MAINT (via …)`, `no check`). */
function memberStatus(member: DesiredMember, status: string): MemberStatus {
  if (!member.adminStateUp || status.startsWith('MAINT')) return 'MAINT';
  if (status.startsWith('DOWN')) return 'DOWN';
  if (member.weight === 0 || status.startsWith('DRAIN') || status.startsWith('NOLB')) return 'DRAIN';
  return status === 'no check' ? 'no check' : 'UP';
}

function add(a: Cumulative, b: Cumulative): Cumulative {
  return {
    bytesIn: a.bytesIn + b.bytesIn,
    bytesOut: a.bytesOut + b.bytesOut,
    totalConnections: a.totalConnections + b.totalConnections,
    requestErrors: a.requestErrors + b.requestErrors,
  };
}

function num(value: string | undefined): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}
