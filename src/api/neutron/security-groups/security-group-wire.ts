// Security groups and rules as Neutron serves them (securitygroups_db.py _make_security_group_dict and
// _make_security_group_rule_dict, plus the standard attributes), `tags` added by the routes.
import { normalizeCidr } from '../../../model/ipam.ts';
import type { SecurityGroup, SecurityGroupRule } from '../../../model/security-group.ts';
import { defaultGroupId } from '../../../store/repositories/security-group-repository.ts';
import type { WireObject } from '../neutron-wire.ts';

/** Neutron prints timestamps without fractions: 2024-05-01T10:00:00Z. */
const neutronTime = (iso: string): string => iso.replace(/\.\d+Z$/, 'Z');

export function ruleToWire(rule: SecurityGroupRule, groupProjectId: string): WireObject {
  return {
    id: rule.id,
    project_id: rule.projectId,
    tenant_id: rule.projectId,
    security_group_id: rule.securityGroupId,
    ethertype: rule.ethertype,
    direction: rule.direction,
    protocol: rule.protocol,
    port_range_min: rule.portRangeMin,
    port_range_max: rule.portRangeMax,
    remote_ip_prefix: rule.remoteIpPrefix,
    // Address groups are not modelled: no rule can name one.
    remote_address_group_id: null,
    // str(netaddr.IPNetwork(prefix).cidr): the prefix with its host bits cleared.
    normalized_cidr: rule.remoteIpPrefix === null ? null : (normalizeCidr(rule.remoteIpPrefix) ?? null),
    remote_group_id: rule.remoteGroupId,
    belongs_to_default_sg: rule.securityGroupId === defaultGroupId(groupProjectId),
    description: rule.description,
    created_at: neutronTime(rule.createdAt),
    updated_at: neutronTime(rule.updatedAt),
    revision_number: rule.revisionNumber,
  };
}

export function groupToWire(group: SecurityGroup): WireObject {
  return {
    id: group.id,
    name: group.name,
    stateful: group.stateful,
    tenant_id: group.projectId,
    project_id: group.projectId,
    description: group.description,
    security_group_rules: group.rules.map((rule) => ruleToWire(rule, group.projectId)),
    created_at: neutronTime(group.createdAt),
    updated_at: neutronTime(group.updatedAt),
    revision_number: group.revisionNumber,
  };
}
