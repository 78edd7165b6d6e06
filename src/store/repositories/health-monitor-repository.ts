// SQL for health monitors (reference §7): insert, read, list, update, and the one-monitor-per-pool lookup.
// State changes go through octavia-lock.ts in the caller's transaction.
import type { Selectable } from 'kysely';
import type { HealthMonitor, HealthMonitorChanges, NewHealthMonitor } from '../../model/health-monitor.ts';
import type { OperatingStatus, ProvisioningStatus } from '../../model/statuses.ts';
import { fromBool, fromJson, now, toBool, toJson } from '../codec.ts';
import type { Db } from '../database.ts';
import type { HealthMonitorTable } from '../schema.ts';
import { type PageSpec, readPage } from './keyset-page.ts';
import { type Scope, scopedRows } from './scoped-rows.ts';
import { apiReason, recordCreated } from './status-event-repository.ts';

export async function insertHealthMonitor(db: Db, hm: NewHealthMonitor): Promise<void> {
  await db
    .insertInto('health_monitors')
    .values({
      id: hm.id,
      project_id: hm.projectId,
      load_balancer_id: hm.loadBalancerId,
      pool_id: hm.poolId,
      name: hm.name,
      admin_state_up: toBool(hm.adminStateUp),
      provisioning_status: hm.provisioningStatus,
      operating_status: hm.operatingStatus,
      type: hm.type,
      delay: hm.delay,
      timeout: hm.timeout,
      max_retries: hm.maxRetries,
      max_retries_down: hm.maxRetriesDown,
      http_method: hm.httpMethod,
      url_path: hm.urlPath,
      expected_codes: hm.expectedCodes,
      http_version: hm.httpVersion,
      domain_name: hm.domainName,
      tags: toJson(hm.tags),
      created_at: now(),
      updated_at: null,
    })
    .execute();
  await recordCreated(db, 'health_monitors', [hm.id], apiReason('PENDING_CREATE'));
}

export async function findHealthMonitor(db: Db, id: string): Promise<HealthMonitor | undefined> {
  const row = await db.selectFrom('health_monitors').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toHealthMonitor(row);
}

/** The monitor of a pool, if it has one (one per pool, reference §7). */
export async function findHealthMonitorOfPool(db: Db, poolId: string): Promise<HealthMonitor | undefined> {
  const row = await db
    .selectFrom('health_monitors')
    .selectAll()
    .where('pool_id', '=', poolId)
    .executeTakeFirst();
  return row && toHealthMonitor(row);
}

/** Every monitor, or one project's or load balancer's, oldest first. */
export async function listHealthMonitors(db: Db, scope: Scope = {}): Promise<HealthMonitor[]> {
  return (await scopedRows(db, 'health_monitors', scope)).map(toHealthMonitor);
}

/** One list page of the project's (or every) health monitor, read in SQL; undefined: unknown marker. */
export async function pageHealthMonitors(
  db: Db,
  projectId: string | undefined,
  spec: PageSpec,
): Promise<HealthMonitor[] | undefined> {
  const page = await readPage(db, db.selectFrom('health_monitors'), spec, { project_id: projectId });
  return page?.map(toHealthMonitor);
}

export async function updateHealthMonitor(db: Db, id: string, changes: HealthMonitorChanges): Promise<void> {
  const c = changes;
  await db
    .updateTable('health_monitors')
    .set({
      updated_at: now(),
      ...(c.name !== undefined && { name: c.name }),
      ...(c.adminStateUp !== undefined && { admin_state_up: toBool(c.adminStateUp) }),
      ...(c.delay !== undefined && { delay: c.delay }),
      ...(c.timeout !== undefined && { timeout: c.timeout }),
      ...(c.maxRetries !== undefined && { max_retries: c.maxRetries }),
      ...(c.maxRetriesDown !== undefined && { max_retries_down: c.maxRetriesDown }),
      ...(c.httpMethod !== undefined && { http_method: c.httpMethod }),
      ...(c.urlPath !== undefined && { url_path: c.urlPath }),
      ...(c.expectedCodes !== undefined && { expected_codes: c.expectedCodes }),
      ...(c.httpVersion !== undefined && { http_version: c.httpVersion }),
      ...(c.domainName !== undefined && { domain_name: c.domainName }),
      ...(c.tags !== undefined && { tags: toJson(c.tags) }),
    })
    .where('id', '=', id)
    .execute();
}

function toHealthMonitor(row: Selectable<HealthMonitorTable>): HealthMonitor {
  return {
    id: row.id,
    projectId: row.project_id,
    loadBalancerId: row.load_balancer_id,
    poolId: row.pool_id,
    name: row.name,
    adminStateUp: fromBool(row.admin_state_up),
    provisioningStatus: row.provisioning_status as ProvisioningStatus,
    operatingStatus: row.operating_status as OperatingStatus,
    type: row.type,
    delay: Number(row.delay),
    timeout: Number(row.timeout),
    maxRetries: Number(row.max_retries),
    maxRetriesDown: Number(row.max_retries_down),
    httpMethod: row.http_method,
    urlPath: row.url_path,
    expectedCodes: row.expected_codes,
    httpVersion: row.http_version === null ? null : Number(row.http_version),
    domainName: row.domain_name,
    tags: fromJson<string[]>(row.tags, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
