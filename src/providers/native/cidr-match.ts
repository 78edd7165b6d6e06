// allowed_cidrs as a source-address filter. Octavia enforces it with security-group rules on the VIP port
// (reference §12.2, last row); the native data plane has no security groups, so it refuses at accept time.
import net from 'node:net';

/** A predicate telling whether a client address may connect: every address when `cidrs` is null, none when empty. */
export function cidrMatcher(cidrs: readonly string[] | null): (address: string) => boolean {
  if (cidrs === null) return () => true;
  const allowed = new net.BlockList();
  for (const cidr of cidrs) {
    const [base, bits] = cidr.split('/');
    const family = net.isIPv6(base) ? 'ipv6' : 'ipv4';
    const prefix = bits === undefined ? (family === 'ipv6' ? 128 : 32) : Number(bits);
    allowed.addSubnet(base, prefix, family);
  }
  return (address) => {
    const plain = unmapIPv4(address);
    if (!net.isIP(plain)) return false;
    return allowed.check(plain, net.isIPv6(plain) ? 'ipv6' : 'ipv4');
  };
}

/** Dual-stack sockets report IPv4 clients as `::ffff:a.b.c.d`; CIDRs are written for the IPv4 form. */
export function unmapIPv4(address: string): string {
  return address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}
