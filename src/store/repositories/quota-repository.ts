// Quota storage and enforcement. Enforcement runs inside the caller's create transaction (reference §10.1)
// and counts live rows, so usage can never drift from what exists. On PostgreSQL the project's quota row is
// locked first, so two concurrent creates in one project serialize instead of both passing the check.
import { PostgresAdapter, sql } from 'kysely';
import { fail } from '../../errors.ts';
import {
  DEFAULT_QUOTAS,
  QUOTA_CLASS_NAMES,
  type QuotaLimits,
  type QuotaResource,
  withinQuota,
} from '../../model/quotas.ts';
import type { Db } from '../database.ts';
import type { QuotaTable } from '../schema.ts';

const TABLE_OF: Readonly<
  Record<
    QuotaResource,
    'load_balancers' | 'listeners' | 'pools' | 'members' | 'health_monitors' | 'l7policies' | 'l7rules'
  >
> = {
  load_balancer: 'load_balancers',
  listener: 'listeners',
  pool: 'pools',
  member: 'members',
  health_monitor: 'health_monitors',
  l7policy: 'l7policies',
  l7rule: 'l7rules',
};

export type StoredQuota = Partial<Record<QuotaResource, number | null>>;

export async function getStoredQuota(db: Db, projectId: string): Promise<StoredQuota | undefined> {
  const row = await db
    .selectFrom('quotas')
    .selectAll()
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { project_id: _, ...limits } = row;
  return limits;
}

export async function listStoredQuotas(db: Db): Promise<(StoredQuota & { projectId: string })[]> {
  const rows = await db.selectFrom('quotas').selectAll().orderBy('project_id').execute();
  // A row of NULLs only exists as a lock target (lockProjectQuota): it stores no quota.
  return rows
    .map(({ project_id, ...limits }) => ({ projectId: project_id, ...limits }))
    .filter(({ projectId: _, ...limits }) => Object.values(limits).some((v) => v !== null));
}

/** Stored values with the defaults filled in where NULL or absent. */
export async function effectiveQuota(
  db: Db,
  projectId: string,
  defaults: QuotaLimits = DEFAULT_QUOTAS,
): Promise<QuotaLimits> {
  const stored = (await getStoredQuota(db, projectId)) ?? {};
  const out = { ...defaults };
  for (const key of Object.keys(defaults) as QuotaResource[]) {
    const value = stored[key];
    if (value !== null && value !== undefined) out[key] = value;
  }
  return out;
}

/** Writes the given limits (null = back to default), creating the row when needed. */
export async function setQuota(db: Db, projectId: string, limits: StoredQuota): Promise<void> {
  const values: Partial<QuotaTable> = { ...limits };
  await db
    .insertInto('quotas')
    .values({ project_id: projectId, ...values })
    .onConflict((oc) => oc.column('project_id').doUpdateSet(values))
    .execute();
}

export async function deleteQuota(db: Db, projectId: string): Promise<void> {
  await db.deleteFrom('quotas').where('project_id', '=', projectId).execute();
}

/** How many live objects of `resource` the project holds (DELETED load balancers do not count). */
export async function quotaUsage(db: Db, projectId: string, resource: QuotaResource): Promise<number> {
  const table = TABLE_OF[resource];
  let query = db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId);
  if (table === 'load_balancers') query = query.where('provisioning_status', '!=', 'DELETED');
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Refuses with 403 `Quota has been met for resources: <Class>` when adding `counts` would exceed the
 * project's quota. Call inside the create transaction.
 */
export async function enforceQuota(
  db: Db,
  projectId: string,
  counts: Partial<Record<QuotaResource, number>>,
  defaults: QuotaLimits = DEFAULT_QUOTAS,
): Promise<void> {
  const limits = await effectiveQuota(db, projectId, defaults);
  const relevant = (Object.entries(counts) as [QuotaResource, number][]).filter(
    ([r, n]) => n > 0 && limits[r] >= 0,
  );
  if (relevant.length === 0) return;
  await lockProjectQuota(db, projectId);
  for (const [resource, adding] of relevant) {
    const inUse = await quotaUsage(db, projectId, resource);
    if (!withinQuota(limits[resource], inUse, adding)) {
      throw fail('octavia.quota', { resource: QUOTA_CLASS_NAMES[resource] });
    }
  }
}

async function lockProjectQuota(db: Db, projectId: string): Promise<void> {
  await db
    .insertInto('quotas')
    .values({ project_id: projectId })
    .onConflict((oc) => oc.doNothing())
    .execute();
  // SQLite serializes writers on its single connection already; PostgreSQL needs the row lock.
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`select 1 from quotas where project_id = ${projectId} for update`.execute(db);
  }
}
