// Neutron's subnet validation, turned into coded errors: CIDR and ip_version agreement, gateway, allocation
// pools, nameservers and host routes. The address math is model/ipam.ts; this file chooses the words.
import { SluiceError } from '../../errors.ts';
import {
  type AllocationPool,
  type Cidr,
  cidrContains,
  cidrLast,
  formatIp,
  normalizeCidr,
  type PoolProblem,
  parseCidr,
  parseIp,
  validatePools,
} from '../../model/ipam.ts';
import type { HostRoute } from '../../model/network.ts';

const invalidInput = (detail: string) => new SluiceError('network.bad-request', { detail }, 'InvalidInput');
const mismatch = (name: string, value: string, version: number) =>
  invalidInput(`${name} '${value}' does not match the ip_version '${version}'`);

export function checkCidr(text: string, ipVersion: number): Cidr {
  const cidr = parseCidr(text);
  if (!cidr) {
    throw new SluiceError('network.invalid-attribute', {
      attribute: 'cidr',
      reason: `'${text}' is not a valid IP subnet`,
    });
  }
  if (cidr.version !== ipVersion) throw mismatch('cidr', text, ipVersion);
  return cidr;
}

/** A canonical gateway address, or null. It may lie outside the CIDR (Neutron allows that), but inside an
 * IPv4 subnet it cannot be the network or broadcast address (Neutron's check_gateway_invalid_in_subnet). */
export function checkGateway(cidr: Cidr, text: string | null): string | null {
  if (text === null) return null;
  const ip = parseIp(text);
  if (!ip) {
    throw new SluiceError('network.invalid-attribute', {
      attribute: 'gateway_ip',
      reason: `'${text}' is not a valid IP address`,
    });
  }
  if (ip.version !== cidr.version) throw mismatch('gateway_ip', text, cidr.version);
  if (
    cidr.version === 4 &&
    cidrContains(cidr, ip) &&
    (ip.value === cidr.network || ip.value === cidrLast(cidr))
  )
    throw invalidInput('Gateway is not valid on subnet');
  return formatIp(ip);
}

export function checkPools(
  cidr: Cidr,
  pools: readonly AllocationPool[],
  gateway: string | null,
): AllocationPool[] {
  const canonical = pools.map((pool) => {
    const start = parseIp(pool.start);
    const end = parseIp(pool.end);
    if (start && start.version !== cidr.version)
      throw mismatch('allocation_pools start', pool.start, cidr.version);
    if (end && end.version !== cidr.version) throw mismatch('allocation_pools end', pool.end, cidr.version);
    return start && end ? { start: formatIp(start), end: formatIp(end) } : pool;
  });
  const problem = validatePools(cidr, canonical, gateway);
  if (problem) throw poolError(problem, cidr, gateway);
  return canonical;
}

function poolError(problem: PoolProblem, cidr: Cidr, gateway: string | null): SluiceError {
  const subnet = `${formatIp({ version: cidr.version, value: cidr.network })}/${cidr.prefix}`;
  switch (problem.kind) {
    case 'invalid':
      return new SluiceError(
        'network.http-bad-request',
        { detail: `The allocation pool ${problem.pool} is not valid.` },
        'InvalidAllocationPool',
      );
    case 'out-of-bounds':
      return new SluiceError(
        'network.http-bad-request',
        { detail: `The allocation pool ${problem.pool} spans beyond the subnet cidr ${subnet}.` },
        'OutOfBoundsAllocationPool',
      );
    case 'overlap':
      return new SluiceError(
        'network.conflict',
        {
          detail: `Found overlapping allocation pools: ${problem.pool} ${problem.other} for subnet ${subnet}.`,
        },
        'OverlappingAllocationPools',
      );
    case 'gateway-conflict':
      return new SluiceError(
        'network.conflict',
        { detail: `Gateway ip ${gateway} conflicts with allocation pool ${problem.pool}.` },
        'GatewayConflictWithAllocationPools',
      );
  }
}

export function checkNameservers(cidr: Cidr, nameservers: readonly string[]): string[] {
  return nameservers.map((text) => {
    const ip = parseIp(text);
    if (!ip) throw invalidInput(`'${text}' is not a valid nameserver`);
    if (ip.version !== cidr.version) throw mismatch('dns_nameserver', text, cidr.version);
    return formatIp(ip);
  });
}

export function checkHostRoutes(cidr: Cidr, routes: readonly HostRoute[]): HostRoute[] {
  return routes.map((route) => {
    const destination = normalizeCidr(route.destination);
    const nexthop = parseIp(route.nexthop);
    if (!destination || !nexthop) throw invalidInput(`Invalid host route ${JSON.stringify(route)}`);
    if (parseCidr(destination)!.version !== cidr.version)
      throw mismatch('route', route.destination, cidr.version);
    if (nexthop.version !== cidr.version) throw mismatch('route nexthop', route.nexthop, cidr.version);
    return { destination, nexthop: formatIp(nexthop) };
  });
}
