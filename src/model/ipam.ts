// Pure IPv4/IPv6 address math for IPAM: parsing and canonical text, CIDR containment and overlap, Neutron's
// default gateway and allocation pools, pool validation and next-free-address search. Addresses are BigInt
// so IPv4 and IPv6 share one code path. No I/O.

export type IpVersion = 4 | 6;
export type IpAddress = { readonly version: IpVersion; readonly value: bigint };
/** A subnet: `network` has its host bits cleared. */
export type Cidr = { readonly version: IpVersion; readonly network: bigint; readonly prefix: number };
export type AllocationPool = { readonly start: string; readonly end: string };

const BITS = { 4: 32, 6: 128 } as const;

export function parseIp(text: string): IpAddress | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { version: 4, value };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // Leading zeros are refused: some stacks read them as octal, so the meaning would be ambiguous.
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tail: bigint[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    // An embedded IPv4 tail (::ffff:1.2.3.4) counts as the last two groups.
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >> 16n, v4 & 0xffffn];
    // Keep a `::` that ends right before the IPv4 part; otherwise drop the separating colon.
    head = text.slice(0, lastColon + 1).endsWith('::')
      ? text.slice(0, lastColon + 1)
      : text.slice(0, lastColon);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): bigint[] | undefined => {
    if (half === '') return [];
    const out: bigint[] = [];
    for (const group of half.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
      out.push(BigInt(`0x${group}`));
    }
    return out;
  };
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  if (!left || !right) return undefined;
  const given = left.length + right.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const all = [...left, ...Array<bigint>(8 - given).fill(0n), ...right, ...tail];
  return all.reduce((acc, group) => (acc << 16n) | group, 0n);
}

/** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed). */
export function formatIp(ip: IpAddress): string {
  if (ip.version === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((ip.value >> shift) & 0xffn)).join('.');
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1; // RFC 5952 §4.2.2: a single zero group is not compressed
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function normalizeIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip ? formatIp(ip) : undefined;
}

/** `a.b.c.d/n` or `x::/n`; host bits are cleared (10.0.0.5/24 is 10.0.0.0/24). A prefix is required. */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > BITS[ip.version]) return undefined;
  return { version: ip.version, network: ip.value & netmask(ip.version, prefix), prefix };
}

export const formatCidr = (cidr: Cidr): string =>
  `${formatIp({ version: cidr.version, value: cidr.network })}/${cidr.prefix}`;

export function normalizeCidr(text: string): string | undefined {
  const cidr = parseCidr(text);
  return cidr ? formatCidr(cidr) : undefined;
}

function netmask(version: IpVersion, prefix: number): bigint {
  const bits = BigInt(BITS[version]);
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** Last address of the CIDR (the IPv4 broadcast). */
export const cidrLast = (cidr: Cidr): bigint =>
  cidr.network | ((1n << BigInt(BITS[cidr.version] - cidr.prefix)) - 1n);

/** Accepts parsed values or texts (an unparsable text is contained in nothing). */
export function cidrContains(cidr: Cidr | string, ip: IpAddress | string): boolean {
  const net = typeof cidr === 'string' ? parseCidr(cidr) : cidr;
  const address = typeof ip === 'string' ? parseIp(ip) : ip;
  if (!net || !address) return false;
  return address.version === net.version && address.value >= net.network && address.value <= cidrLast(net);
}

export const cidrsOverlap = (a: Cidr, b: Cidr): boolean =>
  a.version === b.version && a.network <= cidrLast(b) && b.network <= cidrLast(a);

/**
 * May a port hold this address? Inside the CIDR and not the network address; for IPv4 not the broadcast
 * either (Neutron's check_subnet_ip; a /32 has no usable host).
 */
export function isHostAddress(cidr: Cidr, ip: IpAddress): boolean {
  if (!cidrContains(cidr, ip) || ip.value === cidr.network) return false;
  return cidr.version === 6 || ip.value !== cidrLast(cidr);
}

/** The addresses a pool may cover: network+1 … last (IPv6) or last-1 (IPv4), as Neutron's generate_pools. */
function usableBounds(cidr: Cidr): { first: bigint; last: bigint } | undefined {
  const last = cidrLast(cidr);
  if (cidr.network === last) return { first: last, last }; // a single-address subnet is its own pool
  const first = cidr.network + 1n;
  const lastUsable = cidr.version === 4 ? last - 1n : last;
  return first < lastUsable ? { first, last: lastUsable } : undefined;
}

/** Neutron's default gateway: the first host address, when the subnet has one. */
export function defaultGateway(cidr: Cidr): string | null {
  const bounds = usableBounds(cidr);
  if (!bounds || bounds.first === cidr.network) return null;
  return formatIp({ version: cidr.version, value: bounds.first });
}

/** Every usable address except the gateway, as one or two ranges (the gateway may sit mid-subnet). */
export function defaultAllocationPools(cidr: Cidr, gateway: string | null): AllocationPool[] {
  const bounds = usableBounds(cidr);
  if (!bounds) return [];
  const gw = gateway === null ? undefined : parseIp(gateway);
  const ranges: [bigint, bigint][] = [];
  if (gw && gw.version === cidr.version && gw.value >= bounds.first && gw.value <= bounds.last) {
    if (gw.value > bounds.first) ranges.push([bounds.first, gw.value - 1n]);
    if (gw.value < bounds.last) ranges.push([gw.value + 1n, bounds.last]);
  } else {
    ranges.push([bounds.first, bounds.last]);
  }
  const text = (value: bigint) => formatIp({ version: cidr.version, value });
  return ranges.map(([start, end]) => ({ start: text(start), end: text(end) }));
}

export type PoolProblem =
  | { readonly kind: 'invalid'; readonly pool: string }
  | { readonly kind: 'out-of-bounds'; readonly pool: string }
  | { readonly kind: 'overlap'; readonly pool: string; readonly other: string }
  | { readonly kind: 'gateway-conflict'; readonly pool: string };

export const poolText = (pool: AllocationPool): string => `${pool.start}-${pool.end}`;

/**
 * Checks pools as Neutron's _validate_allocation_pools: valid addresses of the subnet's version with
 * start ≤ end, inside the usable range, pairwise disjoint, and not containing the gateway.
 */
export function validatePools(
  cidr: Cidr,
  pools: readonly AllocationPool[],
  gateway: string | null,
): PoolProblem | undefined {
  const bounds = usableBounds(cidr);
  const ranges: { pool: string; start: bigint; end: bigint }[] = [];
  for (const pool of pools) {
    const start = parseIp(pool.start);
    const end = parseIp(pool.end);
    const text = poolText(pool);
    if (
      !start ||
      !end ||
      start.version !== cidr.version ||
      end.version !== cidr.version ||
      start.value > end.value
    )
      return { kind: 'invalid', pool: text };
    if (!bounds || start.value < bounds.first || end.value > bounds.last)
      return { kind: 'out-of-bounds', pool: text };
    ranges.push({ pool: text, start: start.value, end: end.value });
  }
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start <= sorted[i - 1].end)
      return { kind: 'overlap', pool: sorted[i - 1].pool, other: sorted[i].pool };
  }
  const gw = gateway === null ? undefined : parseIp(gateway);
  const conflict = gw && ranges.find((r) => gw.value >= r.start && gw.value <= r.end);
  return conflict ? { kind: 'gateway-conflict', pool: conflict.pool } : undefined;
}

/**
 * The lowest address of the first pool (in the given order) that is not in `taken`, or undefined when every
 * pool is full. `taken` holds canonical address texts (formatIp). Walks at most |taken|+1 addresses per pool,
 * so a huge IPv6 pool costs nothing extra.
 */
export function nextFreeAddress(
  pools: readonly AllocationPool[],
  taken: ReadonlySet<string>,
): string | undefined {
  for (const pool of pools) {
    const start = parseIp(pool.start);
    const end = parseIp(pool.end);
    if (!start || !end || start.version !== end.version) continue;
    for (let value = start.value; value <= end.value; value++) {
      const text = formatIp({ version: start.version, value });
      if (!taken.has(text)) return text;
    }
  }
  return undefined;
}
