// Hands out fixed IPs to a port. Every address is claimed by an INSERT … ON CONFLICT DO NOTHING on
// ip_allocations (primary key subnet_id + ip_address): the database decides who wins, without raising an
// error that would abort a PostgreSQL transaction, so a lost race on an automatic address just tries the next.
import { SluiceError } from '../../errors.ts';
import {
  formatIp,
  type IpAddress,
  isHostAddress,
  nextFreeAddress,
  parseCidr,
  parseIp,
} from '../../model/ipam.ts';
import type { FixedIp, Subnet } from '../../model/network.ts';
import type { Db } from '../database.ts';
import { toSubnet } from './network-rows.ts';

/** One requested address: a subnet (next free address), an address (its subnet is found), or both. */
export type FixedIpRequest = { subnetId?: string; ipAddress?: string };

type Target = { readonly networkId: string; readonly portId: string };

/**
 * Allocates addresses for `port`. Without requests: one address from the first IPv4 subnet with a free one
 * (IPv6 subnets only when the network has no IPv4 subnet); a network without subnets gives a port without
 * addresses. Explicit addresses are claimed before automatic ones, so `[{subnet}, {subnet, .5}]` cannot lose
 * .5 to its own neighbour.
 */
export async function allocateFixedIps(
  db: Db,
  port: Target,
  requests: readonly FixedIpRequest[] | undefined,
): Promise<FixedIp[]> {
  const rows = await db
    .selectFrom('subnets')
    .selectAll()
    .where('network_id', '=', port.networkId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const subnets = rows.map(toSubnet);
  if (requests === undefined) return allocateAutomatically(db, port, subnets);
  const explicit = requests.filter((r) => r.ipAddress !== undefined);
  const automatic = requests.filter((r) => r.ipAddress === undefined);
  const out: FixedIp[] = [];
  for (const request of explicit) out.push(await claimExplicit(db, port, subnets, request));
  for (const request of automatic) {
    const subnet = subnetOf(port, subnets, request.subnetId);
    const address = await claimNext(db, port, subnet);
    if (address === undefined) throw exhausted(port.networkId);
    out.push({ subnetId: subnet.id, ipAddress: address });
  }
  return out;
}

async function allocateAutomatically(db: Db, port: Target, subnets: readonly Subnet[]): Promise<FixedIp[]> {
  const v4 = subnets.filter((s) => s.ipVersion === 4);
  const candidates = v4.length > 0 ? v4 : subnets;
  for (const subnet of candidates) {
    const address = await claimNext(db, port, subnet);
    if (address !== undefined) return [{ subnetId: subnet.id, ipAddress: address }];
  }
  if (candidates.length > 0) throw exhausted(port.networkId);
  return [];
}

async function claimExplicit(
  db: Db,
  port: Target,
  subnets: readonly Subnet[],
  request: FixedIpRequest,
): Promise<FixedIp> {
  const text = request.ipAddress!;
  const ip = parseIp(text);
  let subnet: Subnet;
  if (request.subnetId !== undefined) {
    subnet = subnetOf(port, subnets, request.subnetId);
    if (!ip || !isHostAddress(parseCidr(subnet.cidr)!, ip))
      throw new SluiceError('network.invalid-ip-for-subnet', { ip: text });
  } else {
    const found = ip && subnets.find((s) => isHostAddress(parseCidr(s.cidr)!, ip));
    if (!found) throw new SluiceError('network.invalid-ip-for-network', { ip: text });
    subnet = found;
  }
  const address = formatIp(ip as IpAddress);
  // The gateway belongs to the router even when no router port exists yet: never give it to a port.
  if (address === subnet.gatewayIp || !(await claim(db, port, subnet.id, address))) {
    throw new SluiceError('network.ip-allocated', { ip: address, subnet: subnet.id });
  }
  return { subnetId: subnet.id, ipAddress: address };
}

function subnetOf(port: Target, subnets: readonly Subnet[], subnetId: string | undefined): Subnet {
  const subnet = subnets.find((s) => s.id === subnetId);
  if (!subnet) {
    const detail = `Failed to create port on network ${port.networkId}, because fixed_ips included invalid subnet ${subnetId}`;
    throw new SluiceError('network.bad-request', { detail }, 'InvalidInput');
  }
  return subnet;
}

/** The lowest free pool address of the subnet, claimed; undefined when the pools are full. */
async function claimNext(db: Db, port: Target, subnet: Subnet): Promise<string | undefined> {
  const rows = await db
    .selectFrom('ip_allocations')
    .select('ip_address')
    .where('subnet_id', '=', subnet.id)
    .execute();
  const taken = new Set(rows.map((r) => r.ip_address));
  if (subnet.gatewayIp !== null) taken.add(subnet.gatewayIp);
  for (;;) {
    const candidate = nextFreeAddress(subnet.allocationPools, taken);
    if (candidate === undefined) return undefined;
    if (await claim(db, port, subnet.id, candidate)) return candidate;
    taken.add(candidate); // someone else committed it since we read: move on
  }
}

async function claim(db: Db, port: Target, subnetId: string, address: string): Promise<boolean> {
  const result = await db
    .insertInto('ip_allocations')
    .values({ subnet_id: subnetId, ip_address: address, port_id: port.portId, network_id: port.networkId })
    .onConflict((oc) => oc.columns(['subnet_id', 'ip_address']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

const exhausted = (networkId: string) => new SluiceError('network.ip-exhausted', { network: networkId });

/** Frees the port's addresses except those listed in `keep` ("subnet/ip" keys). */
export async function releaseFixedIps(db: Db, portId: string, keep: readonly FixedIp[] = []): Promise<void> {
  const kept = new Set(keep.map((ip) => `${ip.subnetId}/${ip.ipAddress}`));
  const rows = await db.selectFrom('ip_allocations').selectAll().where('port_id', '=', portId).execute();
  for (const row of rows) {
    if (kept.has(`${row.subnet_id}/${row.ip_address}`)) continue;
    await db
      .deleteFrom('ip_allocations')
      .where('subnet_id', '=', row.subnet_id)
      .where('ip_address', '=', row.ip_address)
      .execute();
  }
}
