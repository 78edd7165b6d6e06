// Hosts as network namespaces joined by one Linux bridge: a "switch" namespace holds bridge br0, each host
// namespace has eth0 (a veth whose peer is a bridge port) with one address on the run's subnet. The subnet
// is 198.18.<n>.0/24, inside the benchmarking range of RFC 2544 (198.18.0.0/15,
// https://www.rfc-editor.org/rfc/rfc2544#appendix-C.2.2), so no real network is ever addressed. Every link
// is created inside the run's namespaces: the root namespace's interfaces are never touched.
import { ip } from './ip-command.ts';
import type { NetnsRun } from './netns-run.ts';

/** The interface every host has into the bridge. */
export const HOST_IFACE = 'eth0';
const SWITCH = 'switch';

export type Host = Readonly<{
  name: string;
  ns: string;
  iface: string;
  address: string;
}>;

export type Topology = Readonly<{
  /** e.g. 198.18.42.0/24 */
  cidr: string;
  /** the first three octets, e.g. 198.18.42 */
  net: string;
  hosts: ReadonlyMap<string, Host>;
  host(name: string): Host;
}>;

/**
 * Builds the switch and one namespace per host name; host i (from 0) gets <net>.<11 + i>. Addresses from
 * .100 up are left for the Neutron subnet's allocation pool (VIPs).
 */
export async function buildTopology(run: NetnsRun, hostNames: readonly string[]): Promise<Topology> {
  // The third octet comes from the run id: runs are isolated by their own bridge anyway, this only makes
  // packet captures of two runs tell apart.
  const net = `198.18.${Number.parseInt(run.id.slice(0, 2), 16)}`;
  const sw = run.addNamespace(SWITCH);
  await ip(['netns', 'add', sw]);
  await ip(['-n', sw, 'link', 'add', 'br0', 'type', 'bridge']);
  await ip(['-n', sw, 'link', 'set', 'br0', 'up']);
  const hosts = new Map<string, Host>();
  for (const [i, name] of hostNames.entries()) {
    const ns = run.addNamespace(name);
    await ip(['netns', 'add', ns]);
    const port = `p-${name}`;
    await ip(['-n', sw, 'link', 'add', port, 'type', 'veth', 'peer', 'name', HOST_IFACE, 'netns', ns]);
    await ip(['-n', sw, 'link', 'set', port, 'master', 'br0']);
    await ip(['-n', sw, 'link', 'set', port, 'up']);
    const address = `${net}.${11 + i}`;
    await ip(['-n', ns, 'addr', 'add', `${address}/24`, 'dev', HOST_IFACE]);
    await ip(['-n', ns, 'link', 'set', HOST_IFACE, 'up']);
    await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    hosts.set(name, { name, ns, iface: HOST_IFACE, address });
  }
  return {
    cidr: `${net}.0/24`,
    net,
    hosts,
    host(name) {
      const host = hosts.get(name);
      if (!host) throw new Error(`no host '${name}' in this topology`);
      return host;
    },
  };
}

/** Takes a host's link down or up (its eth0: the host loses, or gets back, the network). */
export async function setLink(host: Host, up: boolean): Promise<void> {
  await ip(['-n', host.ns, 'link', 'set', host.iface, up ? 'up' : 'down']);
}

/** The IPv4 addresses on a host's interface, e.g. to see where a VIP is plumbed. */
export async function hostAddresses(host: Host): Promise<string[]> {
  const out = await ip(['-n', host.ns, '-4', '-o', 'addr', 'show', 'dev', host.iface]);
  return [...out.matchAll(/inet (\S+)\//g)].map((m) => m[1]);
}

/**
 * Removes every address of a host's interface but its own (VIPs a killed process left behind), as a reboot
 * would: the kernel of a host whose processes were killed keeps them otherwise.
 */
export async function forgetAddresses(host: Host): Promise<void> {
  for (const address of await hostAddresses(host)) {
    if (address !== host.address)
      await ip(['-n', host.ns, 'addr', 'del', `${address}/32`, 'dev', host.iface]);
  }
}
