// `/v2.0/security-group-rules[/{id}]`: list, show, create, delete. A new rule passes Neutron's checks
// (rule-checks.ts), names groups the rule's project can see, and differs from every rule of its group
// (securitygroups_db.py _check_for_duplicate_rules); adding or removing one revises its group.
// https://docs.openstack.org/api-ref/network/v2/#security-group-rules-security-group-rules
import type { FastifyInstance } from 'fastify';
import { SluiceError } from '../../../errors.ts';
import { type EtherType, ruleKey, type SecurityGroupDirection } from '../../../model/security-group.ts';
import {
  createSecurityGroupRule,
  deleteSecurityGroupRule,
  findSecurityGroup,
  listSecurityGroupRules,
  projectsOfGroups,
} from '../../../store/repositories/security-group-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { attr, parseAttributes, readResource } from '../neutron-body.ts';
import { itemPath, NEUTRON_ROUTE, queryOf } from '../neutron-http.ts';
import { filterList, projectOne } from '../neutron-list.ts';
import { isAdmin, owningProject, visibility } from '../neutron-policy.ts';
import { checkRule } from './rule-checks.ts';
import { SECURITY_GROUP_RULE_ATTRIBUTES } from './security-group-attributes.ts';
import { ruleExists, securityGroupNotFound } from './security-group-errors.ts';
import { ensureDefaultForList, visibleSecurityGroupRule } from './security-group-lookup.ts';
import { ruleToWire } from './security-group-wire.ts';

const COLLECTION = 'security-group-rules';

export function registerSecurityGroupRuleRoutes(
  app: FastifyInstance,
  context: ApiContext,
  prefix: string,
): void {
  const db = context.store.db;
  const rulesPath = `${prefix}/${COLLECTION}`;

  app.get(rulesPath, NEUTRON_ROUTE, async (request) => {
    const auth = caller(request);
    await ensureDefaultForList(db, auth, queryOf(request));
    const rules = await listSecurityGroupRules(db, visibility(auth));
    const projects = await projectsOfGroups(
      db,
      rules.map((rule) => rule.securityGroupId),
    );
    const wire = rules.map((rule) => ruleToWire(rule, projects.get(rule.securityGroupId) ?? ''));
    return { security_group_rules: filterList(wire, queryOf(request)) };
  });

  app.post(rulesPath, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const attributes = parseAttributes(
      SECURITY_GROUP_RULE_ATTRIBUTES,
      readResource(request, 'security_group_rule'),
      'POST',
    );
    const projectId = owningProject(auth, attributes);
    const fields = checkRule({
      ethertype: attr<EtherType>(attributes, 'ethertype') ?? 'IPv4',
      protocol: attr<string | null>(attributes, 'protocol') ?? null,
      portRangeMin: attr<number | null>(attributes, 'port_range_min') ?? null,
      portRangeMax: attr<number | null>(attributes, 'port_range_max') ?? null,
      remoteIpPrefix: attr<string | null>(attributes, 'remote_ip_prefix') ?? null,
      remoteGroupId: attr<string | null>(attributes, 'remote_group_id') || null,
      remoteAddressGroupId: attr<string | null>(attributes, 'remote_address_group_id') || null,
    });
    // _check_security_group(..., project_id=rule project): the groups named must be the rule project's.
    const seenBy = isAdmin(auth) ? 'all' : { projectId };
    if (fields.remoteGroupId && !(await findSecurityGroup(db, fields.remoteGroupId, seenBy)))
      throw securityGroupNotFound(fields.remoteGroupId);
    if (fields.remoteAddressGroupId)
      throw new SluiceError(
        'network.not-found-detail',
        { detail: `Address group ${fields.remoteAddressGroupId} could not be found.` },
        'AddressGroupNotFound',
      );
    const groupId = attributes.security_group_id as string;
    const group = await findSecurityGroup(db, groupId, seenBy);
    if (!group) throw securityGroupNotFound(groupId);
    const rule = {
      securityGroupId: group.id,
      projectId,
      direction: attributes.direction as SecurityGroupDirection,
      ethertype: fields.ethertype,
      protocol: fields.protocol,
      portRangeMin: fields.portRangeMin,
      portRangeMax: fields.portRangeMax,
      remoteIpPrefix: fields.remoteIpPrefix,
      remoteGroupId: fields.remoteGroupId,
      description: attr<string>(attributes, 'description') ?? '',
    };
    const duplicate = group.rules.find((existing) => ruleKey(existing) === ruleKey(rule));
    if (duplicate) throw ruleExists(duplicate.id);
    const created = await createSecurityGroupRule(db, rule);
    return reply.code(201).send({ security_group_rule: ruleToWire(created, group.projectId) });
  });

  app.get(itemPath(prefix, COLLECTION), NEUTRON_ROUTE, async (request) => {
    const { rule, groupProjectId } = await visibleSecurityGroupRule(
      db,
      caller(request),
      (request.params as { id: string }).id,
    );
    return { security_group_rule: projectOne(ruleToWire(rule, groupProjectId), queryOf(request)) };
  });

  app.delete(itemPath(prefix, COLLECTION), NEUTRON_ROUTE, async (request, reply) => {
    const { rule } = await visibleSecurityGroupRule(
      db,
      caller(request),
      (request.params as { id: string }).id,
    );
    await deleteSecurityGroupRule(db, rule);
    return reply.code(204).send();
  });
}
