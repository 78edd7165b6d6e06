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
