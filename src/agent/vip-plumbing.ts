// VIP plumbing (architecture §3): addresses in 127.0.0.0/8 (and ::1) are local on Linux already; any other
// VIP address is added to the host interface mapped to the VIP's network (`--interface-mapping physnet:iface`,
// the Neutron convention) with `ip addr replace` (needs CAP_NET_ADMIN), and removed when the load balancer
// goes. A failure rejects the apply, so the load balancer goes ERROR with the reason instead of silently
// not answering. A newly added IPv4 VIP is announced with gratuitous ARP, so neighbours that cached the MAC of
// a host that served it before (a dead host, after a failover) send to this one at once.
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import type { DesiredLoadBalancer } from '../model/desired-state.ts';

const run = promisify(execFile);

/** Runs `ip` with arguments; replaceable so tests can run it inside a network namespace (`ip -n ns …`). */
export type IpCommand = (args: readonly string[]) => Promise<void>;

export const defaultIpCommand: IpCommand = async (args) => {
  await run('ip', [...args], { timeout: 10_000 });
};

/** Announces that an address now lives on an interface; replaceable so tests can run it in a namespace. */
export type Announcer = (iface: string, address: string) => Promise<void>;

/**
 * Gratuitous ARP with iputils' arping: `-U` sends unsolicited ARP requests whose sender and target are the
 * VIP, which Linux neighbours take to update an existing entry (arping(8),
 * https://man7.org/linux/man-pages/man8/arping.8.html; RFC 5227 §2.3, https://www.rfc-editor.org/rfc/rfc5227#section-2.3, calls it an ARP Announcement). Two,
 * one second apart, so one lost frame is not fatal. `prefix` runs it elsewhere (`ip netns exec ns`).
 */
export function arpingAnnouncer(prefix: readonly string[] = []): Announcer {
  return async (iface, address) => {
    const [command, ...args] = [...prefix, 'arping', '-U', '-c', '2', '-I', iface, address];
    await run(command, args, { timeout: 5_000 });
  };
}

const warnAnnounceFailed = (error: Error) => process.emitWarning(error.message, 'SluiceVipAnnounce');

export function isLoopback(address: string): boolean {
  if (net.isIPv4(address)) return address.startsWith('127.');
  return address === '::1';
}

/** Parses `physnet:iface[,physnet:iface…]` (also repeated flags) into a map. */
export function parseInterfaceMappings(values: readonly string[]): Map<string, string> {
  const mappings = new Map<string, string>();
  for (const item of values.flatMap((v) => v.split(','))) {
    const [physnet, iface, extra] = item.trim().split(':');
    if (!physnet || !iface || extra !== undefined) {
      throw new Error(`invalid interface mapping '${item}': expected physnet:interface`);
    }
    mappings.set(physnet, iface);
  }
  return mappings;
}

export class VipPlumbing {
  readonly #mappings: ReadonlyMap<string, string>;
  readonly #ip: IpCommand;
  readonly #announce: Announcer;
  readonly #onAnnounceError: (error: Error) => void;
  /** per load balancer: the addresses this agent added, and where */
  readonly #added = new Map<string, { address: string; iface: string }[]>();

  constructor(
    mappings: ReadonlyMap<string, string>,
    ip: IpCommand = defaultIpCommand,
    announce: Announcer = arpingAnnouncer(),
    onAnnounceError: (error: Error) => void = warnAnnounceFailed,
  ) {
    this.#mappings = mappings;
    this.#ip = ip;
    this.#announce = announce;
    this.#onAnnounceError = onAnnounceError;
  }

  /** Makes every address of the load balancer local; removes the ones it no longer has. */
  async ensure(desired: DesiredLoadBalancer, physicalNetwork: string | null = null): Promise<void> {
    const wanted = [desired.vip.address, ...desired.vip.additional.map((a) => a.address)].filter(
      (a) => a !== '' && !isLoopback(a),
    );
    const before = this.#added.get(desired.id) ?? [];
    for (const gone of before.filter((b) => !wanted.includes(b.address))) await this.#remove(gone);
    // Recorded as it goes, so release() also finds what was added before a later address failed.
    const added = before.filter((b) => wanted.includes(b.address));
    this.#added.set(desired.id, added);
    for (const address of wanted) {
      const iface = this.#interfaceFor(physicalNetwork, address);
      // `replace` is idempotent: an address someone removed by hand comes back at the next apply.
      await this.#ip(['addr', 'replace', `${address}/${net.isIPv6(address) ? 128 : 32}`, 'dev', iface]).catch(
        (error: Error & { stderr?: string }) => {
          throw new Error(`cannot add VIP ${address} to ${iface}: ${(error.stderr || error.message).trim()}`);
        },
      );
      if (added.some((a) => a.address === address)) continue;
      added.push({ address, iface });
      // Not awaited: the announcements take a second, and the data plane must bind the VIP meanwhile. A
      // failure does not undo the address (it serves; neighbours only learn it when their entry expires).
      if (net.isIPv4(address))
        this.#announce(iface, address).catch((error: Error & { stderr?: string; code?: unknown }) => {
          const why =
            error.code === 'ENOENT'
              ? 'arping not found (install iputils-arping)'
              : error.stderr || error.message;
          this.#onAnnounceError(new Error(`cannot announce VIP ${address} on ${iface}: ${why.trim()}`));
        });
    }
  }

  /** Removes every address added for the load balancer; idempotent. */
  async release(loadBalancerId: string): Promise<void> {
    for (const entry of this.#added.get(loadBalancerId) ?? []) await this.#remove(entry);
    this.#added.delete(loadBalancerId);
  }

  #interfaceFor(physicalNetwork: string | null, address: string): string {
    const iface =
      (physicalNetwork !== null ? this.#mappings.get(physicalNetwork) : undefined) ??
      this.#mappings.get('default') ??
      (this.#mappings.size === 1 ? [...this.#mappings.values()][0] : undefined);
    if (!iface) {
      throw new Error(
        `VIP ${address} is not a loopback address and no --interface-mapping names an interface for ${
          physicalNetwork === null ? 'its network' : `physical network '${physicalNetwork}'`
        }`,
      );
    }
    return iface;
  }

  async #remove(entry: { address: string; iface: string }): Promise<void> {
    const prefix = net.isIPv6(entry.address) ? 128 : 32;
    // Already gone (an operator or a reboot removed it) is fine: the goal is that it is not there.
    await this.#ip(['addr', 'del', `${entry.address}/${prefix}`, 'dev', entry.iface]).catch(() => undefined);
  }
}
