// How a caller finds a security group or rule (neutron-policy.ts): a project sees its own groups, and the
// rules it owns or that sit in its groups (Neutron's sg_owner rule); an admin sees all; the rest is 404.
// Also the default-group guarantee Neutron gives every project-scoped security-group call.
import type { AuthContext } from '../../../identity/auth-context.ts';
import type { SecurityGroup, SecurityGroupRule } from '../../../model/security-group.ts';
import type { Db } from '../../../store/database.ts';
import {
  ensureDefaultSecurityGroup,
  findSecurityGroup,
  findSecurityGroupRule,
  projectsOfGroups,
} from '../../../store/repositories/security-group-repository.ts';
import type { Query } from '../neutron-list.ts';
import { isAdmin, owns, visibility } from '../neutron-policy.ts';
import { securityGroupNotFound, securityGroupRuleNotFound } from './security-group-errors.ts';

export async function visibleSecurityGroup(db: Db, auth: AuthContext, id: string): Promise<SecurityGroup> {
  const group = await findSecurityGroup(db, id, visibility(auth));
  if (!group) throw securityGroupNotFound(id);
  return group;
}

/** The rule and its group's project, when the caller owns either. */
export async function visibleSecurityGroupRule(
  db: Db,
  auth: AuthContext,
  id: string,
): Promise<{ rule: SecurityGroupRule; groupProjectId: string }> {
  const rule = await findSecurityGroupRule(db, id);
  const groupProjectId =
    rule && (await projectsOfGroups(db, [rule.securityGroupId])).get(rule.securityGroupId);
  if (!rule || groupProjectId === undefined || !(owns(auth, rule.projectId) || owns(auth, groupProjectId)))
    throw securityGroupRuleNotFound(id);
  return { rule, groupProjectId };
}

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/**
 * get_security_groups / get_security_group_rules: the project the list is for (the `project_id` or
 * `tenant_id` filter, else the caller's) gets its default group, unless a non-admin names another project
 * (neutron bug 1987410).
 */
export async function ensureDefaultForList(db: Db, auth: AuthContext, query: Query): Promise<void> {
  const projectId = first(query.project_id) || first(query.tenant_id) || auth.projectId;
  if (projectId && (projectId === auth.projectId || isAdmin(auth)))
    await ensureDefaultSecurityGroup(db, projectId);
}
