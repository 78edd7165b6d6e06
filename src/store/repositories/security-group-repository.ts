// Neutron security groups and rules in the store: reading a group with its rules as a project sees it, and
// the rules of several groups at once (what a load balancer's `vip_sg_ids` admit on its VIP); creating,
// changing and deleting groups and rules, each project's default group, and whether a group is in use.
import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import {
  DEFAULT_GROUP_DESCRIPTION,
  DEFAULT_GROUP_NAME,
  EtherType,
  type SecurityGroup,
  SecurityGroupDirection,
  type SecurityGroupRule,
} from '../../model/security-group.ts';
import { fromBool, newId, now, toBool } from '../codec.ts';
import { type Db, inTransaction } from '../database.ts';
import type { SecurityGroupRuleTable, SecurityGroupTable } from '../networking-v1-schema.ts';
import type { Visibility } from './network-rows.ts';

export function ruleFromRow(row: Selectable<SecurityGroupRuleTable>): SecurityGroupRule {
  return {
    id: row.id,
    securityGroupId: row.security_group_id,
    projectId: row.project_id,
    direction: row.direction as SecurityGroupDirection,
    ethertype: row.ethertype as EtherType,
    protocol: row.protocol,
    portRangeMin: row.port_range_min,
    portRangeMax: row.port_range_max,
    remoteIpPrefix: row.remote_ip_prefix,
    remoteGroupId: row.remote_group_id,
    description: row.description,
    revisionNumber: row.revision_number,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function groupFromRow(
  row: Selectable<SecurityGroupTable>,
  rules: readonly SecurityGroupRule[],
): SecurityGroup {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    description: row.description,
    stateful: fromBool(row.stateful),
    revisionNumber: row.revision_number,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    rules,
  };
}

/** The rules of each group, oldest first; groups without rules map to []. */
export async function rulesOfGroups(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, SecurityGroupRule[]>> {
  const out = new Map<string, SecurityGroupRule[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('security_group_rules')
    .selectAll()
    .where('security_group_id', 'in', [...new Set(ids)])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const row of rows) out.get(row.security_group_id)?.push(ruleFromRow(row));
  return out;
}

/** The group with its rules when it exists and `visibility` may see it (its own project, or all). */
export async function findSecurityGroup(
  db: Db,
  id: string,
  visibility: Visibility,
): Promise<SecurityGroup | undefined> {
  let query = db.selectFrom('security_groups').selectAll().where('id', '=', id);
  if (visibility !== 'all') query = query.where('project_id', '=', visibility.projectId ?? '');
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return groupFromRow(row, (await rulesOfGroups(db, [id])).get(id) ?? []);
}

/**
 * The id of a project's default group: a name-based (version 5 style) UUID of the project id, so that two
 * first calls racing each other insert the same primary key and only one group results (Neutron keeps a
 * unique default_security_group row per project for the same reason).
 */
export function defaultGroupId(projectId: string): string {
  const hex = createHash('sha1').update(`sluice:default-security-group:${projectId}`).digest('hex');
  const variant = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const isDefaultGroup = (group: Pick<SecurityGroup, 'id' | 'projectId'>): boolean =>
  group.id === defaultGroupId(group.projectId);

export type NewRule = Omit<SecurityGroupRule, 'id' | 'revisionNumber' | 'createdAt' | 'updatedAt'>;

const ANY_RULE = { protocol: null, portRangeMin: null, portRangeMax: null, remoteIpPrefix: null } as const;

/** Neutron's default rule templates: egress anywhere in both families, and ingress from the group itself
 * for the default group (neutron/db/migration/alembic_migrations/versions/2023.2/expand/c33da356b165). */
function templateRules(groupId: string, projectId: string, isDefault: boolean): NewRule[] {
  const rules: NewRule[] = [];
  const directions = isDefault
    ? [SecurityGroupDirection.EGRESS, SecurityGroupDirection.INGRESS]
    : [SecurityGroupDirection.EGRESS];
  for (const direction of directions)
    for (const ethertype of [EtherType.IPV4, EtherType.IPV6])
      rules.push({
        ...ANY_RULE,
        securityGroupId: groupId,
        projectId,
        direction,
        ethertype,
        remoteGroupId: direction === SecurityGroupDirection.INGRESS ? groupId : null,
        description: '',
      });
  return rules;
}

async function insertRules(db: Db, rules: readonly NewRule[]): Promise<string[]> {
  const at = now();
  const ids = rules.map(() => newId());
  if (rules.length > 0)
    await db
      .insertInto('security_group_rules')
      .values(
        rules.map((rule, i) => ({
          id: ids[i],
          security_group_id: rule.securityGroupId,
          project_id: rule.projectId,
          direction: rule.direction,
          ethertype: rule.ethertype,
          protocol: rule.protocol,
          port_range_min: rule.portRangeMin,
          port_range_max: rule.portRangeMax,
          remote_ip_prefix: rule.remoteIpPrefix,
          remote_group_id: rule.remoteGroupId,
          description: rule.description,
          revision_number: 0,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
  return ids;
}

export type NewSecurityGroup = Readonly<{
  projectId: string;
  name: string;
  description: string;
  stateful: boolean;
}>;

/** Inserts the group row unless one with this id exists; true when it was inserted. */
async function insertGroup(db: Db, id: string, group: NewSecurityGroup): Promise<boolean> {
  const at = now();
  const inserted = await db
    .insertInto('security_groups')
    .values({
      id,
      project_id: group.projectId,
      name: group.name,
      description: group.description,
      stateful: toBool(group.stateful),
      revision_number: 0,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** _ensure_default_security_group: the project's default group, created with its rules when missing. */
export async function ensureDefaultSecurityGroup(db: Db, projectId: string): Promise<string> {
  const id = defaultGroupId(projectId);
  const exists = await db.selectFrom('security_groups').select('id').where('id', '=', id).executeTakeFirst();
  if (exists) return id;
  await inTransaction(db, async (trx) => {
    const group = {
      projectId,
      name: DEFAULT_GROUP_NAME,
      description: DEFAULT_GROUP_DESCRIPTION,
      stateful: true,
    };
    if (await insertGroup(trx, id, group)) await insertRules(trx, templateRules(id, projectId, true));
  });
  return id;
}

/** A new group with Neutron's two default egress rules. */
export async function createSecurityGroup(db: Db, input: NewSecurityGroup): Promise<SecurityGroup> {
  const id = newId();
  await inTransaction(db, async (trx) => {
    await insertGroup(trx, id, input);
    await insertRules(trx, templateRules(id, input.projectId, false));
  });
  return (await findSecurityGroup(db, id, 'all')) as SecurityGroup;
}

/** Every group `visibility` may see, oldest first, with their rules. */
export async function listSecurityGroups(db: Db, visibility: Visibility): Promise<SecurityGroup[]> {
  let query = db.selectFrom('security_groups').selectAll().orderBy('created_at').orderBy('id');
  if (visibility !== 'all') query = query.where('project_id', '=', visibility.projectId ?? '');
  const rows = await query.execute();
  const rules = await rulesOfGroups(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => groupFromRow(row, rules.get(row.id) ?? []));
}

export type SecurityGroupChanges = Readonly<{ name?: string; description?: string; stateful?: boolean }>;

export async function updateSecurityGroup(
  db: Db,
  id: string,
  changes: SecurityGroupChanges,
): Promise<SecurityGroup> {
  await db
    .updateTable('security_groups')
    .set((eb) => ({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.description !== undefined && { description: changes.description }),
      ...(changes.stateful !== undefined && { stateful: toBool(changes.stateful) }),
      revision_number: eb('revision_number', '+', 1),
      updated_at: now(),
    }))
    .where('id', '=', id)
    .execute();
  return (await findSecurityGroup(db, id, 'all')) as SecurityGroup;
}

/** Whether a port lists the group in its security_groups, or a live load balancer in its vip_sg_ids. */
export async function isSecurityGroupInUse(db: Db, id: string): Promise<boolean> {
  // Both columns hold JSON lists of uuids; a uuid's quoted text occurs only as a whole element.
  const needle = `%${JSON.stringify(id)}%`;
  const port = await db
    .selectFrom('ports')
    .select('id')
    .where('security_groups', 'like', needle)
    .executeTakeFirst();
  if (port) return true;
  const lb = await db
    .selectFrom('load_balancers')
    .select('id')
    .where('vip_sg_ids', 'like', needle)
    .where('provisioning_status', '!=', 'DELETED')
    .executeTakeFirst();
  return lb !== undefined;
}

/** Deletes the group, its rules, the rules of other groups naming it as remote group, and its tags. */
export async function deleteSecurityGroup(db: Db, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .deleteFrom('security_group_rules')
      .where((eb) => eb.or([eb('security_group_id', '=', id), eb('remote_group_id', '=', id)]))
      .execute();
    await trx.deleteFrom('neutron_tags').where('resource_id', '=', id).execute();
    await trx.deleteFrom('security_groups').where('id', '=', id).execute();
  });
}

/** Bumps the group's revision: Neutron revises a group whenever one of its rules changes. */
async function reviseGroup(db: Db, id: string): Promise<void> {
  await db
    .updateTable('security_groups')
    .set((eb) => ({ revision_number: eb('revision_number', '+', 1), updated_at: now() }))
    .where('id', '=', id)
    .execute();
}

export async function createSecurityGroupRule(db: Db, rule: NewRule): Promise<SecurityGroupRule> {
  const [id] = await inTransaction(db, async (trx) => {
    const ids = await insertRules(trx, [rule]);
    await reviseGroup(trx, rule.securityGroupId);
    return ids;
  });
  return (await findSecurityGroupRule(db, id)) as SecurityGroupRule;
}

export async function findSecurityGroupRule(db: Db, id: string): Promise<SecurityGroupRule | undefined> {
  const row = await db.selectFrom('security_group_rules').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? ruleFromRow(row) : undefined;
}

/** The rules `visibility` may see: its own, and every rule in a group it owns (Neutron's sg_owner). */
export async function listSecurityGroupRules(db: Db, visibility: Visibility): Promise<SecurityGroupRule[]> {
  let query = db.selectFrom('security_group_rules').selectAll().orderBy('created_at').orderBy('id');
  if (visibility !== 'all') {
    const projectId = visibility.projectId ?? '';
    query = query.where((eb) =>
      eb.or([
        eb('project_id', '=', projectId),
        eb(
          'security_group_id',
          'in',
          eb.selectFrom('security_groups').select('id').where('project_id', '=', projectId),
        ),
      ]),
    );
  }
  return (await query.execute()).map(ruleFromRow);
}

export async function deleteSecurityGroupRule(db: Db, rule: SecurityGroupRule): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('security_group_rules').where('id', '=', rule.id).execute();
    await reviseGroup(trx, rule.securityGroupId);
  });
}

/** Each existing group's project, by group id. */
export async function projectsOfGroups(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('security_groups')
    .select(['id', 'project_id'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, row.project_id]));
}
