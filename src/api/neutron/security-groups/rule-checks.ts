// The checks Neutron makes on a parsed security group rule before storing it, in its order
// (securitygroups_db.py _validate_base_security_group_rule_attributes): legacy IPv6 ICMP names, the full
// port range read as no range, the port range for the protocol, the prefix's family, IPv6-only protocols,
// one remote at most. https://opendev.org/openstack/neutron/src/branch/master/neutron/db/securitygroups_db.py
import { parseIp } from '../../../model/ipam.ts';
import {
  EtherType,
  ICMP_PROTOCOL_NUMBERS,
  IPV6_ONLY_PROTOCOLS,
  PORT_PROTOCOL_NUMBERS,
  protocolNumber,
  type SecurityGroupRule,
} from '../../../model/security-group.ts';
import { invalidRule } from './security-group-errors.ts';

export type RuleFields = Pick<
  SecurityGroupRule,
  'ethertype' | 'protocol' | 'portRangeMin' | 'portRangeMax' | 'remoteIpPrefix' | 'remoteGroupId'
> & { readonly remoteAddressGroupId: string | null };

/** The rule as Neutron stores it, or Neutron's 400 for the first check it fails. */
export function checkRule(input: RuleFields): RuleFields {
  const rule: { -readonly [K in keyof RuleFields]: RuleFields[K] } = { ...input };
  // _make_canonical_ipv6_icmp_protocol
  if (rule.ethertype === EtherType.IPV6) {
    if (rule.protocol === 'icmp' || rule.protocol === 'icmpv6') rule.protocol = 'ipv6-icmp';
    else if (rule.protocol === '1') rule.protocol = '58';
  }
  // _make_canonical_port_range
  if (rule.portRangeMin === 1 && rule.portRangeMax === 65535) {
    rule.portRangeMin = null;
    rule.portRangeMax = null;
  }
  checkPortRange(rule);
  // _validate_ip_prefix
  if (rule.remoteIpPrefix !== null) {
    const version = parseIp(rule.remoteIpPrefix.split('/')[0])?.version;
    if (rule.ethertype !== `IPv${version}`)
      throw invalidRule(
        'SecurityGroupRuleParameterConflict',
        `Conflicting value ethertype ${rule.ethertype} for CIDR ${rule.remoteIpPrefix}`,
      );
  }
  // _validate_ethertype_and_protocol
  if (
    rule.protocol !== null &&
    IPV6_ONLY_PROTOCOLS.includes(rule.protocol) &&
    rule.ethertype === EtherType.IPV4
  )
    throw invalidRule(
      'SecurityGroupEthertypeConflictWithProtocol',
      `Invalid ethertype ${rule.ethertype} for protocol ${rule.protocol}.`,
    );
  // _validate_multiple_remote_entites
  const remotes = [rule.remoteIpPrefix, rule.remoteGroupId, rule.remoteAddressGroupId].filter(Boolean);
  if (remotes.length > 1)
    throw invalidRule(
      'SecurityGroupMultipleRemoteEntites',
      'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.',
    );
  return rule;
}

/** _validate_port_range: ports only for the port protocols (min <= max, no 0) and ICMP (type and code). */
function checkPortRange(rule: RuleFields): void {
  const { portRangeMin: min, portRangeMax: max } = rule;
  if (min === null && max === null) return;
  if (rule.protocol === null)
    throw invalidRule(
      'SecurityGroupProtocolRequiredWithPorts',
      'Must also specify protocol if port range is given.',
    );
  const number = protocolNumber(rule.protocol);
  if (number !== undefined && PORT_PROTOCOL_NUMBERS.includes(number)) {
    if (min === 0 || max === 0)
      throw invalidRule('SecurityGroupInvalidPortValue', 'Invalid value for port 0');
    if (min === null || max === null || min > max)
      throw invalidRule(
        'SecurityGroupInvalidPortRange',
        'For TCP/UDP protocols, port_range_min must be <= port_range_max',
      );
  } else if (number !== undefined && ICMP_PROTOCOL_NUMBERS.includes(number)) {
    for (const [value, field, attr] of [
      [min, 'type', 'port_range_min'],
      [max, 'code', 'port_range_max'],
    ] as const) {
      if (value !== null && !(value >= 0 && value <= 255))
        throw invalidRule(
          'SecurityGroupInvalidIcmpValue',
          `Invalid value for ICMP ${field} (${attr}) ${value}. It must be 0 to 255.`,
        );
    }
    if (min === null && max !== null)
      throw invalidRule(
        'SecurityGroupMissingIcmpType',
        `ICMP code (port-range-max) ${max} is provided but ICMP type (port-range-min) is missing.`,
      );
  } else {
    throw invalidRule(
      'SecurityGroupInvalidProtocolForPort',
      `Ports cannot be specified for protocol ${number ?? 'None'}. Ports are only supported for DCCP, SCTP, TCP, UDP, UDPLITE.`,
    );
  }
}
