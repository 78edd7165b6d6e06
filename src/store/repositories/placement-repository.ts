// SQL for placements (amphorae rows) as the agent protocol and the controller use them: creating a load
// balancer's placements, binding them to agents, the set of load balancers an agent must serve, and what
// agents report about them (applied revision or error, observation).
import { createHash } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import { isServing, SERVING_ROLES } from '../../model/agent.ts';
import type { ApplyResult, AssignmentVrrp } from '../../model/agent-protocol.ts';
import type { Topology } from '../../model/desired-state.ts';
import type { ProviderReport } from '../../model/provider-driver.ts';
import { fromJson, newId, now, toJson } from '../codec.ts';
import type { Db } from '../database.ts';
import type { AmphoraTable } from '../schema.ts';
import { onPostgres, unindexed } from '../statement-runs.ts';
import { recordCreated } from './status-event-repository.ts';
import { getVrrpGroups, ungroupLoadBalancers } from './vrrp-group-repository.ts';
import { vrrpViewOf } from './vrrp-view.ts';

export type Placement = Readonly<{
  id: string;
  loadBalancerId: string;
  role: string;
  agentId: string | null;
  scheduledRevision: number | null;
  reportedRevision: number | null;
  applyError: string | null;
  report: ProviderReport | null;
  reportedAt: string | null;
  /** the VRRP group holding the load balancer's VIPs on this placement's agent and its peer's, if any */
  vrrpGroupId: string | null;
}>;

const num = (value: number | string | null) => (value === null ? null : Number(value));

const toPlacement = (row: Selectable<AmphoraTable>): Placement => ({
  id: row.id,
  loadBalancerId: row.load_balancer_id ?? '',
  role: row.role ?? 'STANDALONE',
  agentId: row.agent_id,
  scheduledRevision: num(row.scheduled_revision),
  reportedRevision: num(row.reported_revision),
  applyError: row.apply_error,
  report: fromJson<ProviderReport | null>(row.report, null),
  reportedAt: row.reported_at,
  vrrpGroupId: row.vrrp_group_id,
});

/** A load balancer's serving placement bound to an agent, with the observation text as its agent wrote it. */
export type ServingObservation = Readonly<{ placementId: string; agentId: string; report: string | null }>;

/**
 * For every load balancer with one, its serving placement bound to an agent (the first by id, as
 * listPlacements orders them): one query for all, so the status aggregator can tell which observations changed.
 */
export async function servingObservations(db: Db): Promise<Map<string, ServingObservation>> {
  const rows = await db
    .selectFrom('amphorae')
    .select(['id', 'load_balancer_id', 'agent_id', 'report'])
    .where('status', '!=', 'DELETED')
    .where('agent_id', 'is not', null)
    .where('role', 'in', [...SERVING_ROLES])
    .orderBy('id')
    .execute();
  const serving = new Map<string, ServingObservation>();
  for (const row of rows) {
    if (row.load_balancer_id === null || serving.has(row.load_balancer_id)) continue;
    serving.set(row.load_balancer_id, {
      placementId: row.id,
      agentId: row.agent_id as string,
      report: row.report,
    });
  }
  return serving;
}

/** The load balancer's live placements, serving roles (STANDALONE, MASTER) first. */
export async function listPlacements(db: Db, loadBalancerId: string): Promise<Placement[]> {
  const rows = await db
    .selectFrom('amphorae')
    .selectAll()
    .where('load_balancer_id', '=', loadBalancerId)
    .where('status', '!=', 'DELETED')
    .orderBy('id')
    .execute();
  return rows.map(toPlacement).sort((a, b) => Number(isServing(b.role)) - Number(isServing(a.role)));
}

/**
 * One placement for SINGLE, a MASTER and a BACKUP for ACTIVE_STANDBY (reference §10.5, §12.5); nothing when
 * the load balancer has placements already.
 */
export async function ensurePlacements(db: Db, lbId: string, topology: Topology): Promise<void> {
  const existing = await db
    .selectFrom('amphorae')
    .select('id')
    .where('load_balancer_id', '=', lbId)
    .where('status', '!=', 'DELETED')
    .executeTakeFirst();
  if (existing) return;
  const roles = topology === 'ACTIVE_STANDBY' ? (['MASTER', 'BACKUP'] as const) : (['STANDALONE'] as const);
  const at = now();
  const ids: string[] = [];
  for (const role of roles) {
    ids.push(newId());
    await db
      .insertInto('amphorae')
      .values({
        id: ids[ids.length - 1],
        load_balancer_id: lbId,
        role,
        status: 'ALLOCATED',
        cert_busy: 0,
        vrrp_id: topology === 'ACTIVE_STANDBY' ? 1 : null,
        vrrp_priority: role === 'MASTER' ? 100 : role === 'BACKUP' ? 90 : null,
        created_at: at,
        updated_at: at,
        compute_id: null,
        lb_network_ip: null,
        vrrp_ip: null,
        ha_ip: null,
        vrrp_port_id: null,
        ha_port_id: null,
        cert_expiration: null,
        vrrp_interface: null,
        cached_zone: null,
        image_id: null,
        compute_flavor: null,
      })
      .execute();
  }
  await recordCreated(db, 'amphorae', ids, 'placed by the controller');
}

/**
 * Binds a placement to an agent (null = unbound) at a revision; what the previous agent reported is void. A
 * placement that moves to another agent takes its load balancer out of its VRRP group: the group belongs to
 * the pair of agents, which no longer holds it (the controller groups it again for the new pair).
 */
export async function bindPlacement(
  db: Db,
  placementId: string,
  agentId: string | null,
  revision: number,
  role?: string,
): Promise<void> {
  const before = await db
    .selectFrom('amphorae')
    .select(['agent_id', 'load_balancer_id', 'vrrp_group_id'])
    .where('id', '=', placementId)
    .executeTakeFirst();
  if (before?.vrrp_group_id && before.load_balancer_id && before.agent_id !== agentId)
    await ungroupLoadBalancers(db, [before.load_balancer_id]);
  await db
    .updateTable('amphorae')
    .set({
      agent_id: agentId,
      scheduled_revision: revision,
      reported_revision: null,
      apply_error: null,
      report: null,
      reported_at: null,
      updated_at: now(),
      ...(role !== undefined && { role }),
    })
    .where('id', '=', placementId)
    .execute();
}

/** True when some placement of the load balancer is bound to an agent (an agent-served provider). */
export async function hasBoundPlacements(db: Db, lbId: string): Promise<boolean> {
  const row = await db
    .selectFrom('amphorae')
    .select('id')
    .where('load_balancer_id', '=', lbId)
    .where('agent_id', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Live load balancers with a serving placement (STANDALONE or MASTER) on the agent, joined to their rows. */
function servingOn(db: Db, agentId: string) {
  return db
    .selectFrom('amphorae as a')
    .innerJoin('load_balancers as lb', 'lb.id', 'a.load_balancer_id')
    .where('a.agent_id', '=', agentId)
    .where('a.role', 'in', [...SERVING_ROLES])
    .where('a.status', '!=', 'DELETED')
    .where('lb.provisioning_status', '!=', 'DELETED');
}

/** Ids of the load balancers the agent serves, oldest first (a BACKUP stands by and serves nothing yet). */
export async function loadBalancersOnAgent(db: Db, agentId: string): Promise<string[]> {
  const rows = await servingOn(db, agentId)
    .select(['lb.id', 'lb.created_at'])
    .distinct()
    .orderBy('lb.created_at')
    .orderBy('lb.id')
    .execute();
  return rows.map((r) => r.id);
}

/** The placements an agent holds hot: serving ones, and BACKUPs in a VRRP group (keepalived moves their VIPs). */
function hotOn(db: Db, agentId: string, lbIds?: readonly string[]) {
  const placements = db.selectFrom('amphorae as a');
  // Some load balancers' rows are found by their own ids, not among all of the agent's.
  return (
    lbIds
      ? placements
          .where(unindexed(db, 'a.agent_id'), '=', agentId)
          .where('a.load_balancer_id', 'in', [...lbIds])
      : placements.where('a.agent_id', '=', agentId)
  )
    .innerJoin('load_balancers as lb', 'lb.id', 'a.load_balancer_id')
    .where((eb) =>
      eb.or([
        eb('a.role', 'in', [...SERVING_ROLES]),
        eb.and([eb('a.role', '=', 'BACKUP'), eb('a.vrrp_group_id', 'is not', null)]),
      ]),
    )
    .where('a.status', '!=', 'DELETED')
    .where('lb.provisioning_status', '!=', 'DELETED');
}

export type AgentAssignment = Readonly<{
  id: string;
  provider: string;
  revision: number;
  vrrp?: AssignmentVrrp;
}>;

/** What an assignment is made of besides its id: a change of it is a change for the agent. */
export function assignmentKey(a: AgentAssignment): string {
  return `${a.provider}:${a.revision}:${a.vrrp ? JSON.stringify(a.vrrp) : ''}`;
}

/**
 * What an agent must do now: serve these load balancers at these revisions (grouped ones with this host's view
 * of their VRRP group, in either role), and remove those being deleted whose removal it has not reported yet.
 * The etag changes whenever any of it does, a role swap or a group change included.
 */
export async function assignmentsOf(db: Db, agentId: string): Promise<AgentAssignments> {
  return assignmentsFromRows(db, agentId, await hotRowsOf(db, agentId));
}

/** What an agent's assignments are computed from: one hot placement joined to its load balancer. */
export type HotRow = Readonly<{
  id: string;
  provider: string;
  revision: number | string;
  provisioning_status: string;
  reported_revision: number | string | null;
  role: string | null;
  vrrp_group_id: string | null;
}>;

export type AgentAssignments = Readonly<{ ids: AgentAssignment[]; removals: string[]; etag: string }>;

/** The agent's hot placements joined to their load balancers; only those of `lbIds` when given. */
export async function hotRowsOf(db: Db, agentId: string, lbIds?: readonly string[]): Promise<HotRow[]> {
  if (lbIds?.length === 0) return [];
  return hotOn(db, agentId, lbIds)
    .select([
      'lb.id',
      'lb.provider',
      'lb.revision',
      'lb.provisioning_status',
      'a.reported_revision',
      'a.role',
      'a.vrrp_group_id',
    ])
    .execute();
}

/** assignmentsOf from the agent's hot rows, in any order (sorted here, so the etag does not depend on it). */
export async function assignmentsFromRows(
  db: Db,
  agentId: string,
  unordered: readonly HotRow[],
): Promise<AgentAssignments> {
  // By code unit, not by the database's collation: every reader of the same rows gets the same etag.
  const rows = [...unordered].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const views = await vrrpViews(db, agentId, rows);
  // A BACKUP whose group no longer has both addresses stands by, as an ungrouped one does.
  const hot = rows.filter((r) => r.role !== 'BACKUP' || views.has(r.id));
  const deleting = (r: HotRow) => r.provisioning_status === 'PENDING_DELETE';
  const ids = hot
    .filter((r) => !deleting(r))
    .map((r) => {
      const vrrp = views.get(r.id);
      return { id: r.id, provider: r.provider, revision: Number(r.revision), ...(vrrp && { vrrp }) };
    });
  const removals = hot
    .filter((r) => deleting(r) && num(r.reported_revision) !== Number(r.revision))
    .map((r) => r.id);
  const etag = createHash('sha256')
    .update(ids.map((r) => `${r.id}:${assignmentKey(r)}`).join(','))
    .update(`|${removals.join(',')}`)
    .digest('hex')
    .slice(0, 32);
  return { ids, removals, etag };
}

/** Per load balancer of `rows` in a group: the agent's view of it. */
async function vrrpViews(
  db: Db,
  agentId: string,
  rows: readonly { id: string; role: string | null; vrrp_group_id: string | null }[],
): Promise<Map<string, AssignmentVrrp>> {
  const grouped = rows.filter(
    (r) => r.vrrp_group_id !== null && (r.role === 'MASTER' || r.role === 'BACKUP'),
  );
  const groups = await getVrrpGroups(
    db,
    grouped.map((r) => r.vrrp_group_id as string),
  );
  const views = new Map<string, AssignmentVrrp>();
  if (groups.size === 0) return views;
  const agentIds = [...groups.values()].flatMap((g) => [g.preferred_agent_id, g.peer_agent_id]);
  const agents = await db
    .selectFrom('agents')
    .select(['id', 'vrrp_addresses'])
    .where('id', 'in', [...new Set(agentIds)])
    .execute();
  const addresses = new Map(
    agents.map((a) => [a.id, fromJson<Record<string, string> | null>(a.vrrp_addresses, null)]),
  );
  const networks = await db
    .selectFrom('networks')
    .select(['id', 'physical_network'])
    .where('id', 'in', [...new Set([...groups.values()].map((g) => g.network_id))])
    .execute();
  const physnets = new Map(networks.map((n) => [n.id, n.physical_network]));
  for (const row of grouped) {
    const group = groups.get(row.vrrp_group_id as string);
    if (!group) continue;
    const view = vrrpViewOf(
      group,
      agentId,
      row.role as 'MASTER' | 'BACKUP',
      (id) => addresses.get(id) ?? null,
      physnets.get(group.network_id) ?? null,
    );
    if (view) views.set(row.id, view);
  }
  return views;
}

/** Records what an agent applied or removed; returns the load balancers concerned. */
export async function recordApplyResults(
  db: Db,
  agentId: string,
  results: readonly ApplyResult[],
): Promise<string[]> {
  const touched: string[] = [];
  for (const result of results) {
    let revision = result.revision;
    if (result.removed) {
      // A removal completes a delete: it answers for the revision the deletion is at.
      const lb = await db
        .selectFrom('load_balancers')
        .select(['revision', 'provisioning_status'])
        .where('id', '=', result.loadBalancerId)
        .executeTakeFirst();
      if (lb?.provisioning_status !== 'PENDING_DELETE') continue;
      revision = Number(lb.revision);
    }
    if (revision === undefined) continue;
    await db
      .updateTable('amphorae')
      .set({ reported_revision: revision, apply_error: result.error, updated_at: now() })
      .where('load_balancer_id', '=', result.loadBalancerId)
      .where(unindexed(db, 'agent_id'), '=', agentId)
      .execute();
    touched.push(result.loadBalancerId);
  }
  return touched;
}

/**
 * Keeps an agent's latest observations of the load balancers it serves or holds hot in a VRRP group. Only the
 * serving placement's observation makes the operating status (status-aggregator.ts): a hot BACKUP's is kept
 * on its own row, ready for when a takeover makes it the MASTER. An observation sent again unchanged (the
 * agent's periodic refresh) writes nothing: reported_at is when it last changed.
 */
export async function recordObservations(
  db: Db,
  agentId: string,
  observed: Readonly<Record<string, ProviderReport>>,
): Promise<void> {
  const entries = Object.entries(observed).map(([id, report]) => [id, toJson(report)] as const);
  if (entries.length === 0) return;
  // One statement for the whole report, not one per load balancer: a heartbeat refreshes a slice of the
  // agent's unchanged observations (about 34 rows per heartbeat at 1,000 load balancers), and one UPDATE per
  // row was the API's main idle work (on SQLite 13 ms of its event loop per heartbeat). The pairs travel as
  // two arrays on PostgreSQL (UPDATE … FROM unnest, https://www.postgresql.org/docs/current/sql-update.html)
  // and as one JSON array on SQLite (UPDATE FROM, json_each and ->>, https://www.sqlite.org/lang_update.html,
  // https://www.sqlite.org/json1.html#jeach).
  const postgres = onPostgres(db);
  const pairs = postgres
    ? sql`unnest(cast(${entries.map(([id]) => id)} as text[]), cast(${entries.map(([, text]) => text)} as text[]))
        as o(load_balancer_id, report)`
    : sql`(select value ->> 0 as load_balancer_id, value ->> 1 as report from json_each(${JSON.stringify(entries)}))
        as o`;
  // Found by load balancer, pair by pair: walking the agent's 1,000 rows and scanning the pairs for each took
  // SQLite 47 ms, this 0.13 ms.
  const agent = unindexed(db, 'a.agent_id');
  await sql`
    update amphorae as a set report = o.report, reported_at = ${now()}
    from ${pairs}
    where a.load_balancer_id = o.load_balancer_id and ${agent} = ${agentId}
      and a.report is distinct from o.report
      and (a.role in (${sql.join([...SERVING_ROLES])}) or a.vrrp_group_id is not null)`.execute(db);
}

/**
 * keepalived on `agentId` holds the load balancer's VIPs: when its placement there is a grouped BACKUP, the
 * two placements swap roles (role only — priority stays with the host, revisions and reports with the row), so
 * the amphora API and the controller follow the takeover. True when they swapped.
 */
export async function takeOverMasterRole(db: Db, agentId: string, loadBalancerId: string): Promise<boolean> {
  const rows = await db
    .selectFrom('amphorae')
    .select(['id', 'agent_id', 'role', 'vrrp_group_id'])
    .where('load_balancer_id', '=', loadBalancerId)
    .where('status', '!=', 'DELETED')
    .execute();
  const backup = rows.find((r) => r.agent_id === agentId && r.role === 'BACKUP' && r.vrrp_group_id !== null);
  // The MASTER may be in another group for a moment: a failover's switch moves the BACKUP to the pair's other
  // group first, and its keepalived holding the VIP there is what this swap records (vrrp-switch.ts).
  const master = rows.find((r) => r.role === 'MASTER' && r.vrrp_group_id !== null);
  if (!backup || !master) return false;
  const at = now();
  // Conditional on the roles read above, so two reports racing cannot both swap.
  const took = await db
    .updateTable('amphorae')
    .set({ role: 'MASTER', updated_at: at })
    .where('id', '=', backup.id)
    .where('role', '=', 'BACKUP')
    .executeTakeFirst();
  if (Number(took.numUpdatedRows) !== 1) return false;
  await db
    .updateTable('amphorae')
    .set({ role: 'BACKUP', updated_at: at })
    .where('id', '=', master.id)
    .execute();
  return true;
}

/** Placements bound to any of the given agents, for the health manager's failover. */
export async function placementsOnAgents(db: Db, agentIds: readonly string[]): Promise<Placement[]> {
  if (agentIds.length === 0) return [];
  const rows = await db
    .selectFrom('amphorae')
    .selectAll()
    .where('agent_id', 'in', [...agentIds])
    .where('status', '!=', 'DELETED')
    .execute();
  return rows.map(toPlacement);
}

/** How many serving placements each agent holds (the scheduler's load measure). */
export async function placementCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('amphorae')
    .select(['agent_id'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('agent_id', 'is not', null)
    .where('status', '!=', 'DELETED')
    .groupBy('agent_id')
    .execute();
  return new Map(rows.map((r) => [r.agent_id as string, Number(r.n)]));
}

/**
 * Load balancers (not pending, not deleted) with a serving placement bound to no agent, among those whose
 * provider is not one of `localProviders`: e.g. created before agents existed, or whose agent was deleted.
 */
export async function loadBalancersWithUnboundPlacements(
  db: Db,
  localProviders: readonly string[],
): Promise<string[]> {
  let query = db
    .selectFrom('amphorae as a')
    .innerJoin('load_balancers as lb', 'lb.id', 'a.load_balancer_id')
    .select('lb.id')
    .distinct()
    .where('a.agent_id', 'is', null)
    .where('a.role', 'in', [...SERVING_ROLES])
    .where('a.status', '!=', 'DELETED')
    .where('lb.provisioning_status', 'in', ['ACTIVE', 'ERROR']);
  if (localProviders.length > 0) query = query.where('lb.provider', 'not in', [...localProviders]);
  return (await query.execute()).map((r) => r.id);
}
