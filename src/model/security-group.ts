// Neutron security groups (domain types): a project's named set of rules, each admitting traffic in one
// direction for one address family, optionally narrowed by protocol, port range and remote prefix or group.
// https://docs.openstack.org/api-ref/network/v2/#security-group-rules-security-group-rules

export const SecurityGroupDirection = { INGRESS: 'ingress', EGRESS: 'egress' } as const;
export type SecurityGroupDirection = (typeof SecurityGroupDirection)[keyof typeof SecurityGroupDirection];

export const EtherType = { IPV4: 'IPv4', IPV6: 'IPv6' } as const;
export type EtherType = (typeof EtherType)[keyof typeof EtherType];

export type SecurityGroupRule = Readonly<{
  id: string;
  securityGroupId: string;
  projectId: string;
  direction: SecurityGroupDirection;
  ethertype: EtherType;
  /** protocol name or number as the user gave it; null admits every protocol */
  protocol: string | null;
  portRangeMin: number | null;
  portRangeMax: number | null;
  remoteIpPrefix: string | null;
  remoteGroupId: string | null;
  description: string;
  revisionNumber: number;
  createdAt: string;
  updatedAt: string;
}>;

export type SecurityGroup = Readonly<{
  id: string;
  projectId: string;
  name: string;
  description: string;
  stateful: boolean;
  revisionNumber: number;
  createdAt: string;
  updatedAt: string;
  rules: readonly SecurityGroupRule[];
}>;

/** Every project has one group of this name, made on its first security-group call; no other may take it. */
export const DEFAULT_GROUP_NAME = 'default';
export const DEFAULT_GROUP_DESCRIPTION = 'Default security group';

/**
 * neutron-lib constants.IP_PROTOCOL_MAP, in its order (the order Neutron prints them in errors), with the
 * legacy `icmpv6` alias: https://opendev.org/openstack/neutron-lib/src/branch/master/neutron_lib/constants.py
 */
export const IP_PROTOCOL_MAP: ReadonlyMap<string, number> = new Map([
  ['ah', 51],
  ['dccp', 33],
  ['egp', 8],
  ['esp', 50],
  ['gre', 47],
  ['hopopt', 0],
  ['icmp', 1],
  ['igmp', 2],
  ['ip', 0],
  ['ipip', 4],
  ['ipv6-encap', 41],
  ['ipv6-frag', 44],
  ['ipv6-icmp', 58],
  ['icmpv6', 58],
  ['ipv6-nonxt', 59],
  ['ipv6-opts', 60],
  ['ipv6-route', 43],
  ['ospf', 89],
  ['pgm', 113],
  ['rsvp', 46],
  ['sctp', 132],
  ['tcp', 6],
  ['udp', 17],
  ['udplite', 136],
  ['vrrp', 112],
]);

/** neutron/common/_constants.py SG_RULE_PROTO_ANY: a rule without protocol, or `any`, admits every protocol. */
export const isAnyProtocol = (protocol: string | null): boolean => protocol === null || protocol === 'any';

/** The protocols whose rules may carry a port range (_constants.py SG_PORT_PROTO_NUMS): dccp, sctp, tcp, udp, udplite. */
export const PORT_PROTOCOL_NUMBERS: readonly number[] = [33, 132, 6, 17, 136];
export const ICMP_PROTOCOL_NUMBERS: readonly number[] = [1, 58];

/** Protocols that only exist for IPv6 (securitygroups_db.py _validate_ethertype_and_protocol). */
export const IPV6_ONLY_PROTOCOLS: readonly string[] = [
  'ipv6-encap',
  'ipv6-frag',
  'ipv6-icmp',
  'icmpv6',
  'ipv6-nonxt',
  'ipv6-opts',
  'ipv6-route',
  ...[41, 44, 58, 59, 60, 43].map(String),
];

/** _get_ip_proto_number: a stored protocol (name or decimal number) as its IP protocol number. */
export function protocolNumber(protocol: string | null): number | undefined {
  if (protocol === null || isAnyProtocol(protocol)) return undefined;
  return IP_PROTOCOL_MAP.get(protocol) ?? Number.parseInt(protocol, 10);
}

/**
 * _get_ip_proto_name_and_num: the [name, number] pair that makes `tcp` and `6` the same protocol when rules are
 * compared, with ICMP under IPv6 read as ipv6-icmp (58).
 */
function protocolNameAndNumber(protocol: string, ethertype: EtherType): string {
  let p = protocol;
  if (ethertype === EtherType.IPV6) {
    if (p === 'icmp' || p === 'icmpv6') p = 'ipv6-icmp';
    else if (p === '1') p = '58';
  }
  const number = IP_PROTOCOL_MAP.get(p);
  if (number !== undefined) return `${p}/${number}`;
  const name = [...IP_PROTOCOL_MAP].find(([n, num]) => String(num) === p && n !== 'icmpv6')?.[0];
  return name === undefined ? `${p}/${p}` : `${name}/${p}`;
}

export type RuleShape = Pick<
  SecurityGroupRule,
  | 'securityGroupId'
  | 'direction'
  | 'ethertype'
  | 'protocol'
  | 'portRangeMin'
  | 'portRangeMax'
  | 'remoteIpPrefix'
  | 'remoteGroupId'
>;

/**
 * What makes two rules the same rule (securitygroups_db.py _rule_to_key): every matching field, with protocol
 * names and numbers equated and the any-address prefixes equal to no prefix.
 */
export function ruleKey(rule: RuleShape): string {
  const prefix = rule.remoteIpPrefix;
  const anyPrefix = prefix === null || prefix === '0.0.0.0/0' || prefix === '::/0';
  return JSON.stringify([
    rule.securityGroupId,
    rule.direction,
    rule.ethertype,
    isAnyProtocol(rule.protocol) ? null : protocolNameAndNumber(rule.protocol as string, rule.ethertype),
    rule.portRangeMin,
    rule.portRangeMax,
    anyPrefix ? null : prefix,
    rule.remoteGroupId,
  ]);
}
