// Neutron security groups and rules in the store: reading a group with its rules as a project sees it, and
// the rules of several groups at once (what a load balancer's `vip_sg_ids` admit on its VIP).
import type { Selectable } from 'kysely';
import type {
  EtherType,
  SecurityGroup,
  SecurityGroupDirection,
  SecurityGroupRule,
} from '../../model/security-group.ts';
import { fromBool } from '../codec.ts';
import type { Db } from '../database.ts';
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
