// The addresses a keepalived-enabled agent registers (docs/ha.md, "VRRP layout"): per physical network, the
// primary IPv4 address of the interface mapped to it, the unicast source and peer of VRRP adverts. Read with
// `ip -j -4 addr show dev IF` (iproute2's JSON output); an interface without one leaves its network out.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

type AddrInfo = { family?: string; local?: string; prefixlen?: number; scope?: string; secondary?: boolean };

/**
 * The interface's primary IPv4 address, or undefined when it has none. keepalived and the VIP plumbing add
 * VIPs and anchors as /32 host addresses, so a global primary with a shorter prefix (the host's own address
 * on its subnet) is preferred over them; the kernel lists primaries in the order they were added.
 */
export async function primaryIpv4(
  iface: string,
  ipPrefix: readonly string[] = [],
): Promise<string | undefined> {
  const { stdout } = await run('ip', [...ipPrefix, '-j', '-4', 'addr', 'show', 'dev', iface], {
    timeout: 10_000,
  }).catch((error: Error & { stderr?: string }) => {
    throw new Error(`cannot read the addresses of ${iface}: ${(error.stderr || error.message).trim()}`);
  });
  const links = JSON.parse(stdout || '[]') as { addr_info?: AddrInfo[] }[];
  const primaries = (links[0]?.addr_info ?? []).filter(
    (info) => info.family === 'inet' && info.scope === 'global' && !info.secondary && info.local,
  );
  return (primaries.find((info) => (info.prefixlen ?? 32) < 32) ?? primaries[0])?.local;
}

/** Per physical network, the primary IPv4 of its mapped interface; networks whose interface has none are left out. */
export async function vrrpAddresses(
  mappings: ReadonlyMap<string, string>,
  ipPrefix: readonly string[] = [],
): Promise<Record<string, string>> {
  const addresses: Record<string, string> = {};
  for (const [physnet, iface] of mappings) {
    const address = await primaryIpv4(iface, ipPrefix);
    if (address !== undefined) addresses[physnet] = address;
  }
  return addresses;
}
