// `show stat` rows as a ProviderReport (heartbeat v3, reference §11.1-11.2): frontends → listeners OPEN/FULL,
// backends `<pool>:<listener>` → pools UP/DOWN, servers → members; counters stay cumulative across reloads and
// restarts (a new worker starts from zero, so CounterBook carries what earlier workers counted); servers' sessions
// and response classes become each member's traffic counters.
import type { DesiredLoadBalancer, DesiredMember } from '../../model/desired-state.ts';
import type { ListenerCounters, MemberCounters, ProviderReport } from '../../model/provider-driver.ts';
import type { StatRow } from './haproxy-socket.ts';

type MemberStatus = 'UP' | 'DOWN' | 'DRAIN' | 'MAINT' | 'no check';

/** The columns of `show stat` that only grow within one worker (HAProxy management guide, "show stat"). */
const FRONTEND_COLUMNS = ['bin', 'bout', 'stot', 'ereq'] as const;
const SERVER_COLUMNS = [
  'stot',
  'bin',
  'bout',
  'hrsp_1xx',
  'hrsp_2xx',
  'hrsp_3xx',
  'hrsp_4xx',
  'hrsp_5xx',
  'hrsp_other',
] as const;
/** Where `stot` is in each: it only grows, so a drop means the counters were reset. */
const STOT = { frontend: 2, server: 0 } as const;

/** When one member shows differently in the backends of several listeners, the worst wins. */
const SEVERITY: Readonly<Record<MemberStatus, number>> = {
  MAINT: 4,
  DOWN: 3,
  DRAIN: 2,
  UP: 1,
  'no check': 0,
};

/**
 * Cumulative counters of frontends (by listener id) and servers (by `<backend>/<server>`) over every HAProxy
 * worker that served them: a reload starts a new worker from zero.
 */
export class CounterBook {
  #pid: number | undefined;
  readonly #base = new Map<string, number[]>();
  readonly #current = new Map<string, number[]>();

  /** Records what worker `pid` counts now; a new pid means the previous worker's counts become the base. */
  observe(pid: number, rows: readonly StatRow[]): void {
    if (pid !== this.#pid) {
      for (const [key, counts] of this.#current) this.#fold(key, counts);
      this.#current.clear();
      this.#pid = pid;
    }
    for (const row of rows) {
      if (row.svname === 'BACKEND') continue;
      const frontend = row.svname === 'FRONTEND';
      const key = frontend ? row.pxname : `${row.pxname}/${row.svname}`;
      const counts = (frontend ? FRONTEND_COLUMNS : SERVER_COLUMNS).map((column) => num(row[column]));
      const previous = this.#current.get(key);
      // Counters only grow within one worker; a drop means `clear counters` or a restart under the same pid.
      const stot = frontend ? STOT.frontend : STOT.server;
      if (previous && counts[stot] < previous[stot]) this.#fold(key, previous);
      this.#current.set(key, counts);
    }
  }

  /** A listener's cumulative counters. */
  listener(listenerId: string): Omit<ListenerCounters, 'activeConnections'> {
    const [bytesIn, bytesOut, totalConnections, requestErrors] = this.#total(
      listenerId,
      FRONTEND_COLUMNS.length,
    );
    return { bytesIn, bytesOut, totalConnections, requestErrors };
  }

  /** A server's cumulative sessions and responses by class (`<backend>/<server>`). */
  server(backend: string, server: string): readonly number[] {
    return this.#total(`${backend}/${server}`, SERVER_COLUMNS.length);
  }

  #total(key: string, width: number): number[] {
    const base = this.#base.get(key);
    const current = this.#current.get(key);
    return Array.from({ length: width }, (_, i) => (base?.[i] ?? 0) + (current?.[i] ?? 0));
  }

  #fold(key: string, counts: readonly number[]): void {
    const base = this.#base.get(key) ?? counts.map(() => 0);
    this.#base.set(
      key,
      base.map((value, i) => value + counts[i]),
    );
  }
}

export function buildReport(
  desired: DesiredLoadBalancer,
  rows: readonly StatRow[],
  book: CounterBook,
): ProviderReport {
  const listeners: Record<string, { status: 'OPEN' | 'FULL'; counters: ListenerCounters }> = {};
  const pools: Record<
    string,
    { status: 'UP' | 'DOWN'; members: Record<string, MemberStatus>; counters: Record<string, MemberCounters> }
  > = {};
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
        counters: { ...book.listener(row.pxname), activeConnections: num(row.scur) },
      };
      continue;
    }
    const poolId = row.pxname.split(':')[0];
    if (row.pxname.split(':').length !== 2) continue;
    pools[poolId] ??= { status: 'DOWN', members: {}, counters: {} };
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
    // A member serves in one backend per listener that uses its pool: its traffic is the sum of them.
    const [sessions, bytesIn, bytesOut, ...classes] = book.server(row.pxname, row.svname);
    if (sessions > 0) {
      const traffic = { sessions, current: num(row.scur), bytesIn, bytesOut, classes };
      pool.counters[row.svname] = addTraffic(pool.counters[row.svname], traffic);
    }
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

function addTraffic(
  seen: MemberCounters | undefined,
  {
    sessions,
    current,
    bytesIn,
    bytesOut,
    classes,
  }: Readonly<{
    sessions: number;
    current: number;
    bytesIn: number;
    bytesOut: number;
    classes: readonly number[];
  }>,
): MemberCounters {
  const r = seen?.responses;
  return {
    sessionsTotal: (seen?.sessionsTotal ?? 0) + sessions,
    currentSessions: (seen?.currentSessions ?? 0) + current,
    bytesIn: (seen?.bytesIn ?? 0) + bytesIn,
    bytesOut: (seen?.bytesOut ?? 0) + bytesOut,
    responses: {
      '1xx': (r?.['1xx'] ?? 0) + classes[0],
      '2xx': (r?.['2xx'] ?? 0) + classes[1],
      '3xx': (r?.['3xx'] ?? 0) + classes[2],
      '4xx': (r?.['4xx'] ?? 0) + classes[3],
      '5xx': (r?.['5xx'] ?? 0) + classes[4],
      other: (r?.other ?? 0) + classes[5],
    },
  };
}

function num(value: string | undefined): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}
