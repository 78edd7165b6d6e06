// The status event log (issue #16): records every provisioning / operating status change of a load balancer
// and its objects with one set-based INSERT … SELECT in the transaction that makes the change (run just before
// its UPDATE, over the same rows), lists a load balancer's events newest first, and prunes them.
import { type RawBuilder, sql } from 'kysely';
import { now } from '../codec.ts';
import type { Db } from '../database.ts';
import type { ChildTable } from '../schema.ts';
import { idIn, idRuns } from '../statement-runs.ts';

export type StatusTable = ChildTable | 'load_balancers' | 'amphorae';

/** Events kept per load balancer: housekeeping prunes to these, and one statement records no more. */
export const EVENTS_KEPT = 1000;
export type StatusField = 'provisioning_status' | 'operating_status';

/** Octavia's names for the resources (octavia/common/constants.py), as the events API shows them. */
export const RESOURCE_TYPES: Readonly<Record<StatusTable, string>> = {
  load_balancers: 'loadbalancer',
  listeners: 'listener',
  pools: 'pool',
  members: 'member',
  health_monitors: 'healthmonitor',
  l7policies: 'l7policy',
  l7rules: 'l7rule',
  amphorae: 'amphora',
};
export const RESOURCE_TYPE_NAMES = Object.values(RESOURCE_TYPES);

/** Why an API request moved an object to a pending status. */
export function apiReason(status: string): string {
  if (status === 'PENDING_CREATE') return 'created through the API';
  if (status === 'PENDING_DELETE') return 'delete through the API';
  return 'update through the API';
}

/** Which rows a status write touches; every given part must hold. */
export type StatusScope = Readonly<{
  ids?: readonly string[];
  loadBalancerId?: string;
  poolIds?: readonly string[];
  l7PolicyIds?: readonly string[];
  /** only rows whose provisioning status is one of these */
  provisioningIn?: readonly string[];
}>;

/**
 * Records the change of `field` to `to` (a value, or an SQL expression over the row) for the rows of `table`
 * in `scope` whose status differs: one statement per run of ids, whatever the number of rows. Call it just
 * before the UPDATE that writes the same rows, in the same transaction.
 */
export async function recordStatusChanges(
  db: Db,
  table: StatusTable,
  field: StatusField,
  to: string | RawBuilder<string>,
  scope: StatusScope,
  reason: string,
): Promise<void> {
  const target = typeof to === 'string' ? text(to) : to;
  await forEachRun(db, scope, (run) =>
    insertSelect(db, table, columnOf(table, field), target, field, run, reason, [
      sql`${columnOf(table, field)} <> ${target}`,
    ]),
  );
}

/** Records the creation of rows (no status before; the provisioning status they were inserted with). */
export async function recordCreated(
  db: Db,
  table: StatusTable,
  ids: readonly string[],
  reason: string,
): Promise<void> {
  await forEachRun(db, { ids }, (run) =>
    insertSelect(
      db,
      table,
      sql`cast(null as text)`,
      columnOf(table, 'provisioning_status'),
      'provisioning_status',
      run,
      reason,
      [],
    ),
  );
}

/** The column holding `field`: an amphora has one `status`, recorded as its provisioning status. */
const columnOf = (table: StatusTable, field: StatusField) => sql.ref(table === 'amphorae' ? 'status' : field);

/** A bound value typed as text: PostgreSQL cannot infer a parameter's type in a select list. */
const text = (value: string): RawBuilder<string> => sql<string>`cast(${value} as text)`;

async function forEachRun(
  db: Db,
  scope: StatusScope,
  write: (scope: StatusScope) => Promise<unknown>,
): Promise<void> {
  const { ids } = scope;
  if (ids === undefined) {
    await write(scope);
    return;
  }
  for (const run of idRuns(db, ids)) await write({ ...scope, ids: run });
}

async function insertSelect(
  db: Db,
  table: StatusTable,
  from: RawBuilder<unknown>,
  to: RawBuilder<unknown>,
  field: StatusField,
  scope: StatusScope,
  reason: string,
  extra: RawBuilder<unknown>[],
  returning = false,
): Promise<readonly unknown[]> {
  if (scope.ids?.length === 0 || scope.poolIds?.length === 0 || scope.l7PolicyIds?.length === 0) return [];
  const lbColumn = sql.ref(table === 'load_balancers' ? 'id' : 'load_balancer_id');
  const conditions = [...extra];
  // A spare amphora belongs to no load balancer: it has no log to be in.
  if (table === 'amphorae') conditions.push(sql`load_balancer_id is not null`);
  if (scope.ids) conditions.push(idIn(db, scope.ids));
  if (scope.loadBalancerId !== undefined) conditions.push(sql`${lbColumn} = ${scope.loadBalancerId}`);
  if (scope.poolIds) conditions.push(sql`pool_id in (${sql.join(scope.poolIds)})`);
  if (scope.l7PolicyIds) conditions.push(sql`l7policy_id in (${sql.join(scope.l7PolicyIds)})`);
  if (scope.provisioningIn) {
    conditions.push(sql`${columnOf(table, 'provisioning_status')} in (${sql.join(scope.provisioningIn)})`);
  }
  const where = conditions.length > 0 ? sql.join(conditions, sql` and `) : sql`1 = 1`;
  // Ordered by id so that the events of one statement come out in a stable order on both dialects. Of a
  // load balancer's rows only the last EVENTS_KEPT are recorded: housekeeping would prune the others unread,
  // and a batch of 10,000 members wrote 10,000 events per status step (a window function,
  // https://www.postgresql.org/docs/current/tutorial-window.html, https://www.sqlite.org/windowfunctions.html).
  const result = await sql<{ id: unknown }>`insert into status_events
      (load_balancer_id, resource_type, resource_id, field, from_status, to_status, reason, created_at)
    select lb, ${text(RESOURCE_TYPES[table])}, id, ${text(field)}, from_status, to_status, ${text(reason)},
      ${text(now())}
    from (select ${lbColumn} as lb, id, ${from} as from_status, ${to} as to_status,
        row_number() over (partition by ${lbColumn} order by id desc) as newest
      from ${sql.table(table)} where ${where}) as changed
    where newest <= ${EVENTS_KEPT}
    order by id${returning ? sql` returning id` : sql``}`.execute(db);
  return result.rows.map((r) => r.id);
}

/**
 * Records one row's change for a conditional write (check-and-set on its status, as the load balancer lock
 * is), runs the write, and takes the event back when the write matched nothing: a concurrent writer changed
 * the status between the two statements (PostgreSQL's READ COMMITTED gives each statement its own snapshot,
 * https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED), and the caller may commit.
 */
export async function recordConditionalChange(
  db: Db,
  table: StatusTable,
  change: Readonly<{ id: string; to: string; from: readonly string[]; reason: string }>,
  write: () => Promise<boolean>,
): Promise<boolean> {
  const field = 'provisioning_status';
  const scope = { ids: [change.id], provisioningIn: change.from };
  const to = text(change.to);
  const notTo = [sql`${columnOf(table, field)} <> ${to}`];
  const recorded = await insertSelect(
    db,
    table,
    columnOf(table, field),
    to,
    field,
    scope,
    change.reason,
    notTo,
    true,
  );
  const written = await write();
  if (!written && recorded.length > 0) {
    await db
      .deleteFrom('status_events')
      .where('id', 'in', recorded as number[])
      .execute();
  }
  return written;
}

export type StatusEvent = Readonly<{
  id: number;
  createdAt: string;
  resourceType: string;
  resourceId: string;
  field: string;
  from: string | null;
  to: string;
  reason: string;
}>;

export type StatusEventQuery = Readonly<{
  limit: number;
  /** only events older than this event id */
  marker?: number;
  resourceType?: string;
  resourceId?: string;
}>;

/** One page of a load balancer's events, newest first (read along the (load_balancer_id, id) index). */
export async function listStatusEvents(
  db: Db,
  loadBalancerId: string,
  query: StatusEventQuery,
): Promise<StatusEvent[]> {
  let select = db.selectFrom('status_events').selectAll().where('load_balancer_id', '=', loadBalancerId);
  if (query.marker !== undefined) select = select.where('id', '<', query.marker);
  if (query.resourceType !== undefined) select = select.where('resource_type', '=', query.resourceType);
  if (query.resourceId !== undefined) select = select.where('resource_id', '=', query.resourceId);
  const rows = await select.orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    createdAt: r.created_at,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    field: r.field,
    from: r.from_status,
    to: r.to_status,
    reason: r.reason,
  }));
}

export type Retention = Readonly<{
  /** events kept per load balancer, newest first */
  keep: number;
  /** events created before this (ISO time) go, whatever the count */
  olderThan: string;
  /** at most this many rows per DELETE, and per load balancer in one pass */
  batch: number;
  /** at most this many load balancers trimmed to `keep` in one pass */
  loadBalancersPerPass: number;
}>;

/**
 * One bounded pruning pass: events older than the age limit from the head of the log (oldest ids first, so no
 * index on created_at is needed), then the load balancers holding more than `keep` events cut back to their
 * newest `keep`. Returns how many rows went.
 */
export async function pruneStatusEvents(db: Db, retention: Retention): Promise<number> {
  const { keep, olderThan, batch } = retention;
  const aged = await db
    .deleteFrom('status_events')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('status_events')
        .select('id')
        .where('created_at', '<', olderThan)
        .orderBy('id')
        .limit(batch),
    )
    .executeTakeFirst();
  let pruned = Number(aged.numDeletedRows);
  const crowded = await db
    .selectFrom('status_events')
    .select('load_balancer_id')
    .groupBy('load_balancer_id')
    .having((eb) => eb.fn.countAll(), '>', keep)
    .limit(retention.loadBalancersPerPass)
    .execute();
  for (const { load_balancer_id: lbId } of crowded) {
    const oldestKept = await db
      .selectFrom('status_events')
      .select('id')
      .where('load_balancer_id', '=', lbId)
      .orderBy('id', 'desc')
      .limit(1)
      .offset(keep - 1)
      .executeTakeFirst();
    if (!oldestKept) continue;
    const trimmed = await db
      .deleteFrom('status_events')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('status_events')
          .select('id')
          .where('load_balancer_id', '=', lbId)
          .where('id', '<', oldestKept.id)
          .orderBy('id')
          .limit(batch),
      )
      .executeTakeFirst();
    pruned += Number(trimmed.numDeletedRows);
  }
  return pruned;
}
