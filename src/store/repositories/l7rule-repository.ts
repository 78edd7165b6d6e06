// SQL for L7 rules: insert, read (one, or a policy's, oldest first), update, and the count the 50-rule cap
// of reference §8.2 needs. State changes go through octavia-lock.ts in the caller's transaction.
import type { Selectable } from 'kysely';
import type { L7Rule } from '../../model/l7.ts';
import type { OperatingStatus, ProvisioningStatus } from '../../model/statuses.ts';
import { fromBool, fromJson, now, toBool, toJson } from '../codec.ts';
import type { Db } from '../database.ts';
import type { L7RuleTable } from '../schema.ts';
import { type PageSpec, readPage } from './keyset-page.ts';
import { apiReason, recordCreated, recordStatusChanges } from './status-event-repository.ts';

type Status = Readonly<{ provisioningStatus?: ProvisioningStatus; operatingStatus?: OperatingStatus }>;
/** A rule to insert; new rows are PENDING_CREATE / OFFLINE unless a graph create says otherwise. */
export type NewL7Rule = Omit<L7Rule, 'provisioningStatus' | 'operatingStatus' | 'createdAt' | 'updatedAt'> &
  Status;
export type L7RuleChanges = Partial<
  Pick<L7Rule, 'type' | 'compareType' | 'key' | 'value' | 'invert' | 'adminStateUp' | 'tags'>
>;

export async function insertL7Rule(db: Db, rule: NewL7Rule): Promise<void> {
  await db
    .insertInto('l7rules')
    .values({
      id: rule.id,
      project_id: rule.projectId,
      load_balancer_id: rule.loadBalancerId,
      l7policy_id: rule.l7PolicyId,
      provisioning_status: rule.provisioningStatus ?? 'PENDING_CREATE',
      operating_status: rule.operatingStatus ?? 'OFFLINE',
      created_at: now(),
      updated_at: null,
      name: null,
      type: rule.type,
      compare_type: rule.compareType,
      key: rule.key,
      value: rule.value,
      invert: toBool(rule.invert),
      admin_state_up: toBool(rule.adminStateUp),
      tags: toJson(rule.tags),
    })
    .execute();
  await recordCreated(db, 'l7rules', [rule.id], apiReason('PENDING_CREATE'));
}

/** Applies a PUT and marks the rule PENDING_UPDATE. */
export async function updateL7Rule(db: Db, id: string, changes: L7RuleChanges): Promise<void> {
  const has = (key: keyof L7RuleChanges) => changes[key] !== undefined;
  const reason = apiReason('PENDING_UPDATE');
  await recordStatusChanges(db, 'l7rules', 'provisioning_status', 'PENDING_UPDATE', { ids: [id] }, reason);
  await db
    .updateTable('l7rules')
    .set({
      ...(has('type') && { type: changes.type }),
      ...(has('compareType') && { compare_type: changes.compareType }),
      ...(has('key') && { key: changes.key }),
      ...(has('value') && { value: changes.value }),
      ...(has('invert') && { invert: toBool(changes.invert === true) }),
      ...(has('adminStateUp') && { admin_state_up: toBool(changes.adminStateUp === true) }),
      ...(has('tags') && { tags: toJson(changes.tags) }),
      provisioning_status: 'PENDING_UPDATE',
      updated_at: now(),
    })
    .where('id', '=', id)
    .execute();
}

export async function findL7Rule(db: Db, id: string): Promise<L7Rule | undefined> {
  const row = await db.selectFrom('l7rules').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRule(row);
}

/** A policy's rules, oldest first. */
export async function listL7Rules(db: Db, policyId: string): Promise<L7Rule[]> {
  const rows = await db
    .selectFrom('l7rules')
    .selectAll()
    .where('l7policy_id', '=', policyId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRule);
}

/** One list page of the policy's rules, read in SQL (keyset-page.ts); undefined: unknown marker. */
export async function pageL7Rules(db: Db, policyId: string, spec: PageSpec): Promise<L7Rule[] | undefined> {
  return (await readPage(db, db.selectFrom('l7rules'), spec, { l7policy_id: policyId }))?.map(toRule);
}

/** How many rules the policy holds, pending deletions included (Octavia counts every row). */
export async function countL7Rules(db: Db, policyId: string): Promise<number> {
  const row = await db
    .selectFrom('l7rules')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('l7policy_id', '=', policyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function toRule(row: Selectable<L7RuleTable>): L7Rule {
  return {
    id: row.id,
    projectId: row.project_id,
    loadBalancerId: row.load_balancer_id,
    l7PolicyId: row.l7policy_id,
    type: row.type,
    compareType: row.compare_type,
    key: row.key,
    value: row.value,
    invert: fromBool(row.invert),
    adminStateUp: fromBool(row.admin_state_up),
    provisioningStatus: row.provisioning_status as ProvisioningStatus,
    operatingStatus: row.operating_status as OperatingStatus,
    tags: fromJson<string[]>(row.tags, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
