// One pool as a revision of the engine serves it: which members may take a new session (admin state,
// weight, health, backup rule of `option allbackups`, reference §12.3), the algorithm, source-address
// persistence, and per-member session counts that outlive revisions (they live in PoolState).
import type { DesiredMember, DesiredPool } from '../../../model/desired-state.ts';
import type { MemberCounters } from '../../../model/provider-driver.ts';
import type { MemberHealthView } from '../members/member-health-view.ts';
import { compileMemberTls, type MemberTls } from '../tls/member-tls.ts';
import { type Balancer, type ClientKey, createBalancer } from './lb-algorithms.ts';
import { StickyTable } from './sticky-table.ts';

/** LVS `persistence_timeout` when a UDP pool gives none (reference §12.6), in seconds. */
export const UDP_PERSISTENCE_TIMEOUT_S = 360;

/** One member's traffic counters (MemberCounters), mutable in place: one increment per session or response. */
export type MemberTally = {
  sessionsTotal: number;
  bytesIn: number;
  bytesOut: number;
  responses: [number, number, number, number, number, number];
};

/** What a pool keeps across configuration changes: stickiness, open-session counts and traffic per member. */
export type PoolState = {
  /** persistence settings the table was made for; a change starts a new table */
  signature: string;
  sticky: StickyTable;
  active: Map<string, number>;
  /** traffic per member id; carried over when a persistence change starts a new state */
  tallies: Map<string, MemberTally>;
};

/** A state for `pool`; `previous` hands over the traffic counted so far (counters only ever grow). */
export function newPoolState(pool: DesiredPool, previous?: PoolState): PoolState {
  const persistence = pool.sessionPersistence;
  const ttlS =
    pool.protocol === 'UDP' && persistence?.type === 'SOURCE_IP'
      ? (persistence.persistenceTimeout ?? UDP_PERSISTENCE_TIMEOUT_S)
      : 0; // HAProxy stick tables as Octavia renders them have no `expire` (reference §12.3)
  return {
    signature: poolStateSignature(pool),
    sticky: new StickyTable(ttlS * 1000),
    active: previous?.active ?? new Map(),
    tallies: previous?.tallies ?? new Map(),
  };
}

export function poolStateSignature(pool: DesiredPool): string {
  return JSON.stringify(pool.sessionPersistence);
}

export type PickOptions = Readonly<{
  /** members already tried for this session (connect failures): redispatch avoids them */
  exclude?: ReadonlySet<string>;
  /** the member a cookie asks for; honoured only while it can take sessions */
  preferred?: string;
}>;

export class PoolRuntime {
  readonly pool: DesiredPool;
  /** 0 = none; 1/2 = PROXY protocol v1/v2 header to members (HAProxy `send-proxy[-v2]`) */
  readonly proxyProtocol: 0 | 1 | 2;
  /** re-encryption to members (`tls_enabled`); undefined: plain TCP */
  readonly memberTls: MemberTls | undefined;
  readonly #state: PoolState;
  readonly #health: MemberHealthView;
  readonly #balancer: Balancer;
  readonly #byId: Map<string, DesiredMember>;
  readonly #primaries: DesiredMember[] = [];
  readonly #backups: DesiredMember[] = [];
  readonly #activeOf = (id: string): number => this.#state.active.get(id) ?? 0;

  constructor(pool: DesiredPool, state: PoolState, health: MemberHealthView) {
    this.pool = pool;
    this.proxyProtocol = pool.protocol === 'PROXY' ? 1 : pool.protocol === 'PROXYV2' ? 2 : 0;
    this.memberTls = compileMemberTls(pool);
    this.#state = state;
    this.#health = health;
    this.#balancer = createBalancer(pool.lbAlgorithm);
    this.#byId = new Map(pool.members.map((m) => [m.id, m]));
  }

  get persistenceType(): string | undefined {
    return this.pool.sessionPersistence?.type;
  }

  member(id: string): DesiredMember | undefined {
    return this.#byId.get(id);
  }

  /** May take new sessions: enabled, weight > 0 (0 drains) and up. */
  canServe(member: DesiredMember): boolean {
    return member.adminStateUp && member.weight > 0 && this.#health.isUp(this.pool.id, member.id);
  }

  hasServableMember(): boolean {
    return this.pool.members.some((m) => this.canServe(m));
  }

  /** The member for a new session, or undefined when none can take it (→ 503 / close). */
  pick(client: ClientKey, options: PickOptions = {}): DesiredMember | undefined {
    const { exclude, preferred } = options;
    if (preferred !== undefined) {
      const member = this.#byId.get(preferred);
      if (member && this.#usable(member, exclude)) return member;
    }
    const stickKey = this.persistenceType === 'SOURCE_IP' ? this.#sourceKey(client.address) : undefined;
    if (stickKey !== undefined) {
      const member = this.#byId.get(this.#state.sticky.get(stickKey) ?? '');
      if (member && this.#usable(member, exclude)) {
        this.#state.sticky.set(stickKey, member.id);
        return member;
      }
    }
    // Per-request hot path: scratch arrays instead of filter() (pick is synchronous, nothing keeps them).
    const primaries = this.#primaries;
    const backups = this.#backups;
    primaries.length = 0;
    backups.length = 0;
    for (const m of this.pool.members) {
      if (this.#usable(m, exclude)) (m.backup ? backups : primaries).push(m);
    }
    // `option allbackups`: backups only serve when no primary can, and then all of them (reference §12.3).
    const candidates = primaries.length > 0 ? primaries : backups;
    if (candidates.length === 0) return undefined;
    const chosen = this.#balancer.pick(candidates, client, this.#activeOf);
    if (stickKey !== undefined) this.#state.sticky.set(stickKey, chosen.id);
    return chosen;
  }

  #usable(member: DesiredMember, exclude: ReadonlySet<string> | undefined): boolean {
    return !exclude?.has(member.id) && this.canServe(member);
  }

  /** The member a learned persistence key (APP_COOKIE value) points at, if any. */
  stuckTo(key: string): string | undefined {
    return this.#state.sticky.get(key);
  }

  remember(key: string, memberId: string): void {
    this.#state.sticky.set(key, memberId);
  }

  /** A session goes to the member: it counts as open, and as sent (HAProxy's server `scur` and `stot`). */
  acquire(memberId: string): void {
    this.#state.active.set(memberId, (this.#state.active.get(memberId) ?? 0) + 1);
    this.#tally(memberId).sessionsTotal += 1;
  }

  /** The member answered an HTTP request with `status` (HAProxy's `hrsp_1xx` … `hrsp_5xx`, `hrsp_other`). */
  responded(memberId: string, status: number): void {
    const kind = Math.trunc(status / 100);
    this.#tally(memberId).responses[kind >= 1 && kind <= 5 ? kind - 1 : 5] += 1;
  }

  /** A session of the member sent it `bytesIn` and received `bytesOut` (HAProxy's server `bin`, `bout`). */
  transferred(memberId: string, bytesIn: number, bytesOut: number): void {
    const tally = this.#tally(memberId);
    tally.bytesIn += bytesIn;
    tally.bytesOut += bytesOut;
  }

  /** The member's counters now; undefined while it has never had a session. */
  counters(memberId: string): MemberCounters | undefined {
    const tally = this.#state.tallies.get(memberId);
    if (!tally) return undefined;
    const r = tally.responses;
    return {
      sessionsTotal: tally.sessionsTotal,
      bytesIn: tally.bytesIn,
      bytesOut: tally.bytesOut,
      currentSessions: this.#activeOf(memberId),
      responses: { '1xx': r[0], '2xx': r[1], '3xx': r[2], '4xx': r[3], '5xx': r[4], other: r[5] },
    };
  }

  #tally(memberId: string): MemberTally {
    let tally = this.#state.tallies.get(memberId);
    if (!tally) {
      tally = { sessionsTotal: 0, bytesIn: 0, bytesOut: 0, responses: [0, 0, 0, 0, 0, 0] };
      this.#state.tallies.set(memberId, tally);
    }
    return tally;
  }

  release(memberId: string): void {
    const left = (this.#state.active.get(memberId) ?? 1) - 1;
    if (left > 0) this.#state.active.set(memberId, left);
    else this.#state.active.delete(memberId);
  }

  /** UDP pools persist by address masked with `persistence_granularity` (LVS, reference §12.6). */
  #sourceKey(address: string): string {
    const mask = this.pool.sessionPersistence?.persistenceGranularity;
    if (!mask || !/^\d+\.\d+\.\d+\.\d+$/.test(mask) || !/^\d+\.\d+\.\d+\.\d+$/.test(address)) return address;
    const a = address.split('.').map(Number);
    const m = mask.split('.').map(Number);
    return a.map((octet, i) => octet & m[i]).join('.');
  }
}
