// What each agent is assigned, kept in this API process between long-polls: a change names its load balancer on
// the change feed, and only that load balancer's rows are read again, not the agent's whole set (at 1,000 load
// balancers the whole set was read twice per change, issue #18). Writes the feed does not carry (another
// process, or a global change named '') are caught by reading the whole set again: at once for '', and for
// everything else at most FULL_READ_MS after the last whole read, the same delay as the long-poll's recheck.
// The set computed from the rows is kept until they change; what it also reads besides them (the VRRP groups'
// addresses) is read again with every whole read.
import type { ChangeFeed } from '../../store/change-feed.ts';
import type { Db } from '../../store/database.ts';
import {
  type AgentAssignments,
  assignmentsFromRows,
  type HotRow,
  hotRowsOf,
} from '../../store/repositories/placement-repository.ts';

/** The longest an agent's set is computed from rows read incrementally before it is read whole again. */
export const FULL_READ_MS = 1000;

type Entry = {
  /** per load balancer, its hot rows on this agent */
  rows: Map<string, HotRow[]>;
  /** load balancers named on the feed since their rows were read */
  dirty: Set<string>;
  /** a change the feed named no load balancer for: read everything */
  stale: boolean;
  readAt: number;
  /**
   * the set computed from `rows`, until they change: sorting, hashing and the VRRP views of every load balancer
   * cost about 3 ms per long-poll wake at 1,000 load balancers, and most wakes are for other agents' changes
   */
  computed?: Promise<AgentAssignments>;
};

export class AssignmentIndex {
  readonly #db: Db;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  /** whole reads under way: not served from until complete, but what the feed names meanwhile is kept */
  readonly #filling = new Set<Entry>();
  readonly #unsubscribe: () => void;

  constructor(db: Db, changes: ChangeFeed, now: () => number = () => performance.now()) {
    this.#db = db;
    this.#now = now;
    this.#unsubscribe = changes.subscribe((loadBalancerId) => {
      for (const entry of [...this.#entries.values(), ...this.#filling]) {
        if (loadBalancerId === '') entry.stale = true;
        else entry.dirty.add(loadBalancerId);
      }
    });
  }

  /** The agent's assignments as assignmentsOf computes them, reading only what changed since the last call. */
  async assignmentsOf(agentId: string): Promise<AgentAssignments> {
    let entry = this.#entries.get(agentId);
    if (!entry || entry.stale || this.#now() - entry.readAt >= FULL_READ_MS) {
      // Kept out of #entries until filled (a half-read set would tell the agent to drop the rest), but fed:
      // what the feed names during the read is read again next time.
      const fresh: Entry = { rows: new Map(), dirty: new Set(), stale: false, readAt: this.#now() };
      this.#filling.add(fresh);
      try {
        for (const row of await hotRowsOf(this.#db, agentId)) add(fresh.rows, row);
      } finally {
        this.#filling.delete(fresh);
      }
      this.#entries.set(agentId, fresh);
      entry = fresh;
    } else if (entry.dirty.size > 0) {
      const ids = [...entry.dirty];
      entry.dirty.clear();
      const rows = await hotRowsOf(this.#db, agentId, ids).catch((error: unknown) => {
        (entry as Entry).stale = true; // the ids not read: the next call reads everything
        throw error;
      });
      const before = new Map(ids.map((id) => [id, inputsOf(entry?.rows.get(id))]));
      for (const id of ids) entry.rows.delete(id);
      for (const row of rows) add(entry.rows, row);
      if (ids.some((id) => inputsOf(entry?.rows.get(id)) !== before.get(id))) entry.computed = undefined;
    }
    const held = entry;
    if (held.computed) return held.computed;
    const computing = assignmentsFromRows(this.#db, agentId, [...held.rows.values()].flat());
    held.computed = computing;
    // A failed computation is not kept: the next call computes again.
    computing.catch(() => {
      if (held.computed === computing) held.computed = undefined;
    });
    return computing;
  }

  close(): void {
    this.#unsubscribe();
    this.#entries.clear();
  }
}

/**
 * What assignmentsFromRows reads of a load balancer's rows. A change's other steps (PENDING_UPDATE and back to
 * ACTIVE, the agent's reported revision) leave the set as it was, and would otherwise have it computed again
 * three times per change; the reported revision matters only while the load balancer is being deleted.
 */
function inputsOf(rows: readonly HotRow[] | undefined): string {
  return JSON.stringify(
    (rows ?? []).map((r) => {
      const deleting = r.provisioning_status === 'PENDING_DELETE';
      return [
        r.id,
        r.provider,
        r.revision,
        r.role,
        r.vrrp_group_id,
        deleting,
        deleting && r.reported_revision,
      ];
    }),
  );
}

function add(rows: Map<string, HotRow[]>, row: HotRow): void {
  const held = rows.get(row.id);
  if (held) held.push(row);
  else rows.set(row.id, [row]);
}
