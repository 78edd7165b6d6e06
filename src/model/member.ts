// The pool member as the domain sees it (camelCase), its defaults, the reserved-address rule and the plan of a
// batch update (reference §6, §6.1). The wire mapping lives in api/octavia/members/wire.ts.
import { parseIp } from './ipam.ts';
import type { OperatingStatus, ProvisioningStatus } from './statuses.ts';

export const DEFAULT_WEIGHT = 1;
export const MIN_WEIGHT = 0;
export const MAX_WEIGHT = 256;
/** `[networking] reserved_ips` default: the metadata address can never be a member (reference §6). */
export const DEFAULT_RESERVED_IPS: readonly string[] = ['169.254.169.254'];

export type Member = Readonly<{
  id: string;
  projectId: string;
  loadBalancerId: string;
  poolId: string;
  name: string | null;
  adminStateUp: boolean;
  provisioningStatus: ProvisioningStatus;
  operatingStatus: OperatingStatus;
  address: string;
  protocolPort: number;
  subnetId: string | null;
  weight: number;
  backup: boolean;
  monitorAddress: string | null;
  monitorPort: number | null;
  tags: readonly string[];
  createdAt: string;
  updatedAt: string | null;
}>;

export type NewMember = Omit<Member, 'createdAt' | 'updatedAt'>;

/** The fields a PUT (or a batch update) may change; address, port and subnet are immutable. */
export type MemberChanges = Partial<
  Pick<Member, 'name' | 'adminStateUp' | 'weight' | 'backup' | 'monitorAddress' | 'monitorPort' | 'tags'>
>;

/** A member's initial operating status: OFFLINE under a health monitor, else NO_MONITOR (reference §6). */
export const initialMemberOperatingStatus = (poolHasMonitor: boolean): OperatingStatus =>
  poolHasMonitor ? 'OFFLINE' : 'NO_MONITOR';

/**
 * Python's `ipaddress.ip_address(a).exploded.upper()`: the form Octavia compares against reserved_ips and
 * prints in the InvalidOption message (`FE80:0000:…`).
 */
export function explodedUpper(address: string): string {
  const ip = parseIp(address);
  if (!ip) return address.toUpperCase();
  if (ip.version === 4) return address;
  const hex = ip.value.toString(16).padStart(32, '0').toUpperCase();
  return hex.match(/.{4}/g)!.join(':');
}

/** The exploded address when it is reserved (400 `<ip> is not a valid option for member address`). */
export function reservedAddress(
  address: string,
  reserved: readonly string[] = DEFAULT_RESERVED_IPS,
): string | undefined {
  const exploded = explodedUpper(address);
  return reserved.some((r) => explodedUpper(r) === exploded) ? exploded : undefined;
}

/** Octavia matches batch members to existing ones by (address, protocol_port) (reference §6.1). */
export const memberKey = (address: string, protocolPort: number): string => `${address}|${protocolPort}`;

export type BatchPlan<T> = Readonly<{
  create: readonly T[];
  update: readonly { readonly id: string; readonly input: T }[];
  /** ids of existing members absent from the request (left alone when additive_only) */
  remove: readonly string[];
}>;

/** Splits a batch request into creates, updates and deletes (reference §6.1 steps 3 and 6). */
export function planBatch<T extends { address: string; protocolPort: number }>(
  existing: readonly Pick<Member, 'id' | 'address' | 'protocolPort'>[],
  requested: readonly T[],
  additiveOnly: boolean,
): BatchPlan<T> {
  const byKey = new Map(existing.map((m) => [memberKey(m.address, m.protocolPort), m.id]));
  const wanted = new Set(requested.map((m) => memberKey(m.address, m.protocolPort)));
  const create: T[] = [];
  const update: { id: string; input: T }[] = [];
  for (const input of requested) {
    const id = byKey.get(memberKey(input.address, input.protocolPort));
    if (id === undefined) create.push(input);
    else update.push({ id, input });
  }
  const remove = additiveOnly
    ? []
    : existing.filter((m) => !wanted.has(memberKey(m.address, m.protocolPort))).map((m) => m.id);
  return { create, update, remove };
}
