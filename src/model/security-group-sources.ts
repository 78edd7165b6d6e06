// Which client addresses a load balancer's VIP security groups (API 2.29 `vip_sg_ids`) admit to one listener:
// with custom VIP groups Octavia stops managing listener access and the groups' ingress rules decide
// (https://docs.openstack.org/api-ref/load-balancer/v2/#create-a-load-balancer, `vip_sg_ids`).
import { type EtherType, SecurityGroupDirection, type SecurityGroupRule } from './security-group.ts';

/** The listener as far as rules see it: the transport its protocol rides on, and its port. */
export type RuleTarget = Readonly<{ protocol: string; protocolPort: number }>;

/**
 * IANA protocol numbers of the transports listeners use, by the names Neutron accepts
 * (https://www.iana.org/assignments/protocol-numbers; neutron-lib constants IP_PROTOCOL_MAP).
 */
const IANA_NUMBER: Readonly<Record<string, string>> = { tcp: '6', udp: '17', sctp: '132' };

/** The transport under an Octavia listener protocol: UDP and SCTP are their own, every other one is TCP. */
export function transportOf(listenerProtocol: string): 'tcp' | 'udp' | 'sctp' {
  if (listenerProtocol === 'UDP') return 'udp';
  if (listenerProtocol === 'SCTP') return 'sctp';
  return 'tcp';
}

const ANY_ADDRESS: Readonly<Record<EtherType, string>> = { IPv4: '0.0.0.0/0', IPv6: '::/0' };

/** Whether `rule` admits traffic to `target` (ingress, its transport or any, its port in range). */
export function ruleAdmits(rule: SecurityGroupRule, target: RuleTarget): boolean {
  if (rule.direction !== SecurityGroupDirection.INGRESS) return false;
  if (rule.protocol !== null && rule.protocol.toLowerCase() !== 'any') {
    const transport = transportOf(target.protocol);
    const given = rule.protocol.toLowerCase();
    if (given !== transport && given !== IANA_NUMBER[transport]) return false;
  }
  // Neutron stores a single port as min = max; a missing max with a min means the one port.
  if (rule.portRangeMin !== null) {
    const max = rule.portRangeMax ?? rule.portRangeMin;
    if (target.protocolPort < rule.portRangeMin || target.protocolPort > max) return false;
  }
  return true;
}

/**
 * The source prefixes the rules admit to `target`, deduplicated in rule order: a rule's remote_ip_prefix, the
 * whole family of its ethertype when it names no remote, or the addresses (of its ethertype) of the ports in
 * its remote group, given by `groupAddresses`. An empty answer admits nobody.
 */
export function admittedSources(
  rules: readonly SecurityGroupRule[],
  target: RuleTarget,
  groupAddresses: ReadonlyMap<string, readonly string[]>,
): string[] {
  const out = new Set<string>();
  for (const rule of rules) {
    if (!ruleAdmits(rule, target)) continue;
    if (rule.remoteIpPrefix !== null) {
      if (familyOf(rule.remoteIpPrefix) === rule.ethertype) out.add(rule.remoteIpPrefix);
    } else if (rule.remoteGroupId !== null) {
      for (const address of groupAddresses.get(rule.remoteGroupId) ?? []) {
        if (familyOf(address) === rule.ethertype) out.add(address);
      }
    } else out.add(ANY_ADDRESS[rule.ethertype]);
  }
  return [...out];
}

function familyOf(addressOrPrefix: string): EtherType {
  return addressOrPrefix.includes(':') ? 'IPv6' : 'IPv4';
}
