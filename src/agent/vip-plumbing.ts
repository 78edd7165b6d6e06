// VIP plumbing (architecture §3): addresses in 127.0.0.0/8 (and ::1) are local on Linux already; any other
// VIP address is added to the host interface mapped to the VIP's network (`--interface-mapping physnet:iface`,
// the Neutron convention) with `ip addr replace` (needs CAP_NET_ADMIN), and removed when the load balancer
// goes. A failure rejects the apply, so the load balancer goes ERROR with the reason instead of silently
// not answering. A newly added IPv4 VIP is announced with gratuitous ARP, so neighbours that cached the MAC of
// a host that served it before (a dead host, after a failover) send to this one at once. What it added is
// kept in a ledger (vip-ledger.ts) so that a later agent process removes what is no longer desired. While an
// interface is fenced (its link went down: link-watch.ts) its addresses are withdrawn and not added again until
// the fence is lifted and the load balancer ensured anew.
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import type { DesiredLoadBalancer } from '../model/desired-state.ts';
import type { LedgerEntry, VipLedger } from './vip-ledger.ts';

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
const warnLedger = (error: Error) => process.emitWarning(error.message, 'SluiceVipLedger');

type Added = { address: string; iface: string };

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
  readonly #ledger: VipLedger | null;
  /** per load balancer: the addresses this agent (or an earlier one, per the ledger) added, and where */
  readonly #added = new Map<string, Added[]>();
  /** per load balancer: its addresses on fenced interfaces, not in the kernel (nor the ledger) */
  readonly #withdrawn = new Map<string, Added[]>();
  /** interfaces whose addresses are withdrawn (their link went down) */
  readonly #fenced = new Set<string>();
  /** the operations in flight, one at a time: a fence must not interleave with an ensure's `ip` calls */
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * With a ledger, starts from what an earlier agent process recorded there: those addresses are kept while
   * desired (ensure) and removed when released, or by releaseOthers once the first desired set is known. An
   * unreadable ledger is reported through onLedgerError and the plumbing starts from nothing.
   */
  constructor(
    mappings: ReadonlyMap<string, string>,
    ip: IpCommand = defaultIpCommand,
    announce: Announcer = arpingAnnouncer(),
    onAnnounceError: (error: Error) => void = warnAnnounceFailed,
    ledger: VipLedger | null = null,
    onLedgerError: (error: Error) => void = warnLedger,
  ) {
    this.#mappings = mappings;
    this.#ip = ip;
    this.#announce = announce;
    this.#onAnnounceError = onAnnounceError;
    this.#ledger = ledger;
    try {
      for (const entry of ledger?.load() ?? []) {
        const list = this.#added.get(entry.loadBalancerId) ?? [];
        list.push({ address: entry.address, iface: entry.iface });
        this.#added.set(entry.loadBalancerId, list);
      }
    } catch (error) {
      onLedgerError(new Error(`cannot read the VIP ledger: ${(error as Error).message}`));
    }
  }

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const done = this.#queue.then(operation);
    this.#queue = done.catch(() => undefined);
    return done;
  }

  /**
   * Makes every address of the load balancer local; removes the ones it no longer has. An address whose
   * interface is fenced is withdrawn instead (removed if there, remembered), and added when ensured unfenced.
   */
  ensure(desired: DesiredLoadBalancer, physicalNetwork: string | null = null): Promise<void> {
    return this.#serial(() => this.#ensure(desired, physicalNetwork));
  }

  async #ensure(desired: DesiredLoadBalancer, physicalNetwork: string | null): Promise<void> {
    const wanted = [desired.vip.address, ...desired.vip.additional.map((a) => a.address)].filter(
      (a) => a !== '' && !isLoopback(a),
    );
    const before = this.#added.get(desired.id) ?? [];
    for (const gone of before.filter((b) => !wanted.includes(b.address))) await this.#remove(gone);
    // Recorded as it goes, so release() also finds what was added before a later address failed.
    const added = before.filter((b) => wanted.includes(b.address));
    this.#added.set(desired.id, added);
    if (added.length < before.length) this.#persist();
    const withdrawn: Added[] = [];
    for (const address of wanted) {
      const iface = this.#interfaceFor(physicalNetwork, address);
      let known = added.find((a) => a.address === address);
      if (known && (known.iface !== iface || this.#fenced.has(iface))) {
        // The mapping changed (across a restart): the address moves to the interface now mapped. Or its
        // interface is fenced: it waits, out of the kernel, for the fence to be lifted.
        await this.#remove(known);
        added.splice(added.indexOf(known), 1);
        this.#persist();
        known = undefined;
      }
      if (this.#fenced.has(iface)) {
        withdrawn.push({ address, iface });
        continue;
      }
      // Recorded before it is added: a process killed right after `ip addr` must leave it in the ledger.
      const entry = known ?? { address, iface };
      if (!known) {
        added.push(entry);
        this.#persist();
      }
      // `replace` is idempotent: an address someone removed by hand comes back at the next apply.
      await this.#ip(['addr', 'replace', `${address}/${net.isIPv6(address) ? 128 : 32}`, 'dev', iface]).catch(
        (error: Error & { stderr?: string }) => {
          if (!known) {
            added.splice(added.indexOf(entry), 1);
            this.#persist();
          }
          throw new Error(`cannot add VIP ${address} to ${iface}: ${(error.stderr || error.message).trim()}`);
        },
      );
      if (known) continue;
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
    // Only once all went through: an ensure that failed leaves the load balancer withdrawn, to be tried again.
    if (withdrawn.length > 0) this.#withdrawn.set(desired.id, withdrawn);
    else this.#withdrawn.delete(desired.id);
  }

  /** Removes every address added for the load balancer, and forgets its withdrawn ones; idempotent. */
  release(loadBalancerId: string): Promise<void> {
    return this.#serial(() => this.#release(loadBalancerId));
  }

  async #release(loadBalancerId: string): Promise<void> {
    this.#withdrawn.delete(loadBalancerId);
    const entries = this.#added.get(loadBalancerId);
    if (!entries) return;
    for (const entry of entries) await this.#remove(entry);
    this.#added.delete(loadBalancerId);
    this.#persist();
  }

  /**
   * Removes the addresses of every load balancer not in `keep`: once an agent knows its full desired set,
   * what an earlier process of it added for load balancers deleted or moved meanwhile goes.
   */
  releaseOthers(keep: ReadonlySet<string>): Promise<void> {
    return this.#serial(async () => {
      for (const id of [...this.#added.keys(), ...this.#withdrawn.keys()])
        if (!keep.has(id)) await this.#release(id);
    });
  }

  /**
   * Fences an interface whose link went down: every address added on it is withdrawn (removed from the
   * kernel, then from the ledger: a process killed in between leaves a record of an absent address, which
   * is harmless), and ensure adds none there until unfence. A host without link cannot serve there anyway;
   * without this, once the link returned it would answer ARP for VIPs that moved meanwhile.
   */
  fence(iface: string): Promise<void> {
    // Marked at once: an ensure queued before the withdrawal runs must not add there either.
    this.#fenced.add(iface);
    return this.#serial(async () => {
      for (const [id, list] of this.#added) {
        const gone = list.filter((entry) => entry.iface === iface);
        if (gone.length === 0) continue;
        for (const entry of gone) await this.#remove(entry);
        this.#added.set(
          id,
          list.filter((entry) => entry.iface !== iface),
        );
        this.#withdrawn.set(id, [...(this.#withdrawn.get(id) ?? []), ...gone]);
        this.#persist();
      }
    });
  }

  /** Lifts the fence of an interface: its withdrawn addresses come back when their load balancer is ensured. */
  unfence(iface: string): void {
    this.#fenced.delete(iface);
  }

  /** Whether some address of the load balancer is withdrawn (waiting for an ensure after the fence). */
  isWithdrawn(loadBalancerId: string): boolean {
    return this.#withdrawn.has(loadBalancerId);
  }

  #persist(): void {
    if (!this.#ledger) return;
    const entries: LedgerEntry[] = [];
    for (const [loadBalancerId, list] of this.#added)
      for (const { address, iface } of list) entries.push({ loadBalancerId, address, iface });
    this.#ledger.save(entries);
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

  async #remove(entry: Added): Promise<void> {
    const prefix = net.isIPv6(entry.address) ? 128 : 32;
    // Already gone (an operator or a reboot removed it) is fine: the goal is that it is not there.
    await this.#ip(['addr', 'del', `${entry.address}/${prefix}`, 'dev', entry.iface]).catch(() => undefined);
  }
}
