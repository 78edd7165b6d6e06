// SQL for L7 policies (their rules: l7rule-repository.ts). Positions are a dense 1-based order per listener (reference §8.1):
// every write renumbers the listener's policies in its transaction, and reads rank them again, so a gap
// left when the controller removes a deleted policy never shows. State changes go through octavia-lock.ts.
import type { Selectable } from 'kysely';
import type { L7Policy } from '../../model/l7.ts';
import type { OperatingStatus, ProvisioningStatus } from '../../model/statuses.ts';
import { fromBool, fromJson, now, toBool, toJson } from '../codec.ts';
import type { Db } from '../database.ts';
import type { L7PolicyTable } from '../schema.ts';
import { type PageSpec, readPage } from './keyset-page.ts';
import { type Scope, scopedRows } from './scoped-rows.ts';

type Status = Readonly<{ provisioningStatus?: ProvisioningStatus; operatingStatus?: OperatingStatus }>;
type PolicyFields = Omit<
  L7Policy,
  'provisioningStatus' | 'operatingStatus' | 'createdAt' | 'updatedAt' | 'ruleIds'
>;
/** A policy to insert; `position` is the one asked for (beyond the end appends). New rows are PENDING_CREATE. */
export type NewL7Policy = PolicyFields & Status;
export type L7PolicyChanges = Partial<
  Pick<
    L7Policy,
    | 'name'
    | 'description'
    | 'adminStateUp'
    | 'action'
    | 'redirectPoolId'
    | 'redirectUrl'
    | 'redirectPrefix'
    | 'redirectHttpCode'
    | 'position'
    | 'tags'
  >
>;
export async function insertL7Policy(db: Db, policy: NewL7Policy): Promise<void> {
  const order = await policyOrder(db, policy.listenerId);
  await db
    .insertInto('l7policies')
    .values({
      id: policy.id,
      project_id: policy.projectId,
      load_balancer_id: policy.loadBalancerId,
      listener_id: policy.listenerId,
      provisioning_status: policy.provisioningStatus ?? 'PENDING_CREATE',
      operating_status: policy.operatingStatus ?? 'OFFLINE',
      position: order.length + 1,
      created_at: now(),
      updated_at: null,
      ...policyColumns(policy),
      name: policy.name,
      admin_state_up: toBool(policy.adminStateUp),
      action: policy.action,
      tags: toJson(policy.tags),
    })
    .execute();
  await recordCreated(db, 'l7policies', [policy.id], apiReason('PENDING_CREATE'));
  order.splice(Math.min(policy.position, order.length + 1) - 1, 0, policy.id);
  await renumber(db, order);
}

/** Applies a PUT and marks the policy PENDING_UPDATE; a new position moves it (past the end: last). */
export async function updateL7Policy(
  db: Db,
  id: string,
  listenerId: string,
  changes: L7PolicyChanges,
): Promise<void> {
  const { position, ...rest } = changes;
  const reason = apiReason('PENDING_UPDATE');
  await recordStatusChanges(db, 'l7policies', 'provisioning_status', 'PENDING_UPDATE', { ids: [id] }, reason);
  await db
    .updateTable('l7policies')
    .set({ ...policyColumns(rest), provisioning_status: 'PENDING_UPDATE', updated_at: now() })
    .where('id', '=', id)
    .execute();
  if (position === undefined) return;
  const order = (await policyOrder(db, listenerId)).filter((other) => other !== id);
  order.splice(Math.min(position, order.length + 1) - 1, 0, id);
  await renumber(db, order);
}

function policyColumns(p: Omit<L7PolicyChanges, 'position'>) {
  const has = (key: keyof typeof p) => p[key] !== undefined;
  return {
    ...(has('name') && { name: p.name }),
    ...(has('description') && { description: p.description }),
    ...(has('adminStateUp') && { admin_state_up: toBool(p.adminStateUp === true) }),
    ...(has('action') && { action: p.action }),
    ...(has('redirectPoolId') && { redirect_pool_id: p.redirectPoolId }),
    ...(has('redirectUrl') && { redirect_url: p.redirectUrl }),
    ...(has('redirectPrefix') && { redirect_prefix: p.redirectPrefix }),
    ...(has('redirectHttpCode') && { redirect_http_code: p.redirectHttpCode }),
    ...(has('tags') && { tags: toJson(p.tags) }),
  };
}

/** Marks a policy and its rules PENDING_DELETE; its position stays until the controller removes it. */
export async function markL7PolicyDeleting(db: Db, id: string): Promise<void> {
  const set = { provisioning_status: 'PENDING_DELETE', updated_at: now() };
  const reason = apiReason('PENDING_DELETE');
  await recordStatusChanges(
    db,
    'l7rules',
    'provisioning_status',
    'PENDING_DELETE',
    { l7PolicyIds: [id] },
    reason,
  );
  await recordStatusChanges(db, 'l7policies', 'provisioning_status', 'PENDING_DELETE', { ids: [id] }, reason);
  await db.updateTable('l7rules').set(set).where('l7policy_id', '=', id).execute();
  await db.updateTable('l7policies').set(set).where('id', '=', id).execute();
}

/** The listener's policy ids in order: stored position, then age (ties only after a removal). */
async function policyOrder(db: Db, listenerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('l7policies')
    .select('id')
    .where('listener_id', '=', listenerId)
    .orderBy('position')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

async function renumber(db: Db, order: readonly string[]): Promise<void> {
  for (const [index, id] of order.entries()) {
    await db
      .updateTable('l7policies')
      .set({ position: index + 1 })
      .where('id', '=', id)
      .where('position', '!=', index + 1)
      .execute();
  }
}

export async function findL7Policy(db: Db, id: string): Promise<L7Policy | undefined> {
  const row = await db.selectFrom('l7policies').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const siblings = await db
    .selectFrom('l7policies')
    .selectAll()
    .where('listener_id', '=', row.listener_id)
    .execute();
  return (await toPolicies(db, siblings)).find((p) => p.id === id);
}

/**
 * Every policy, or one project's or load balancer's, with their rules' ids (a listener's policies all share
 * its project and load balancer, so ranks stay whole).
 */
export async function listL7Policies(db: Db, scope: Scope = {}): Promise<L7Policy[]> {
  return toPolicies(db, await scopedRows(db, 'l7policies', scope));
}

/**
 * One list page of the project's (or every) policy, read in SQL; undefined: unknown marker. A policy's
 * position is its rank among its listener's policies, so the siblings of the page's listeners are read too.
 */
export async function pageL7Policies(
  db: Db,
  projectId: string | undefined,
  spec: PageSpec,
): Promise<L7Policy[] | undefined> {
  const rows = await readPage(db, db.selectFrom('l7policies'), spec, { project_id: projectId });
  if (rows === undefined || rows.length === 0) return rows && [];
  const listeners = [...new Set(rows.map((row) => row.listener_id))];
  const siblings = await db
    .selectFrom('l7policies')
    .selectAll()
    .where('listener_id', 'in', listeners)
    .execute();
  const ranked = new Map((await toPolicies(db, siblings)).map((policy) => [policy.id, policy]));
  return rows.flatMap((row) => ranked.get(row.id) ?? []);
}

/** Maps rows, ranking each listener's policies 1..n and attaching rule ids (oldest first). */
async function toPolicies(db: Db, rows: Selectable<L7PolicyTable>[]): Promise<L7Policy[]> {
  if (rows.length === 0) return [];
  const rules = await db
    .selectFrom('l7rules')
    .select(['id', 'l7policy_id'])
    .where(
      'l7policy_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const ordered = [...rows].sort(
    (a, b) => a.position - b.position || compare(a.created_at, b.created_at) || compare(a.id, b.id),
  );
  const rank = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const row of ordered) {
    const n = (seen.get(row.listener_id) ?? 0) + 1;
    seen.set(row.listener_id, n);
    rank.set(row.id, n);
  }
  return ordered.map((row) => ({
    id: row.id,
    projectId: row.project_id,
    loadBalancerId: row.load_balancer_id,
    listenerId: row.listener_id,
    name: row.name,
    description: row.description,
    adminStateUp: fromBool(row.admin_state_up),
    provisioningStatus: row.provisioning_status as ProvisioningStatus,
    operatingStatus: row.operating_status as OperatingStatus,
    action: row.action,
    redirectPoolId: row.redirect_pool_id,
    redirectUrl: row.redirect_url,
    redirectPrefix: row.redirect_prefix,
    redirectHttpCode: row.redirect_http_code === null ? null : Number(row.redirect_http_code),
    position: rank.get(row.id) ?? row.position,
    tags: fromJson<string[]>(row.tags, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ruleIds: rules.filter((r) => r.l7policy_id === row.id).map((r) => r.id),
  }));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// Rules live in l7rule-repository.ts; re-exported so callers can import every L7 write from here.
export {
  countL7Rules,
  findL7Rule,
  insertL7Rule,
  type L7RuleChanges,
  listL7Rules,
  type NewL7Rule,
  pageL7Rules,
  updateL7Rule,
} from './l7rule-repository.ts';

import { apiReason, recordCreated, recordStatusChanges } from './status-event-repository.ts';
