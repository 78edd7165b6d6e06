// The link watch: reads the carrier of each mapped interface every ~200 ms and says when one goes down or
// comes back. A host whose link is down cannot serve on it, so the agent withdraws its VIPs there (vip-plumbing.ts
// fence) and, when the link returns, asks the server afresh before answering for them again.
import fs from 'node:fs/promises';

/** Whether an interface has carrier: true, false, or undefined when it cannot be told (no such interface). */
export type CarrierReader = (iface: string) => Promise<boolean | undefined>;

export const DEFAULT_LINK_WATCH_MS = 200;

/**
 * Reads `/sys/class/net/<iface>/carrier` (https://www.kernel.org/doc/Documentation/ABI/testing/sysfs-class-net):
 * "1" with carrier, "0" without; reading it fails with EINVAL while the interface is administratively down,
 * which is down too. sysfs shows the network namespace it was mounted in (`ip netns exec` mounts the
 * namespace's own), so the agent reads its host's interfaces.
 */
export function sysfsCarrier(root = '/sys/class/net'): CarrierReader {
  return async (iface) => {
    try {
      return (await fs.readFile(`${root}/${iface}/carrier`, 'utf8')).trim() === '1';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EINVAL') return false;
      return undefined;
    }
  };
}

export type LinkWatchOptions = Readonly<{
  interfaces: readonly string[];
  /** called once per change; an interface counts as up until it is first read down */
  onChange: (iface: string, up: boolean) => void;
  intervalMs?: number;
  read?: CarrierReader;
}>;

export class LinkWatch {
  readonly #options: LinkWatchOptions;
  readonly #up = new Map<string, boolean>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;

  constructor(options: LinkWatchOptions) {
    this.#options = options;
  }

  /** Reads every interface now, then every interval (a read never overlaps the previous one). */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    void this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Whether the interface was last read down. */
  isDown(iface: string): boolean {
    return this.#up.get(iface) === false;
  }

  async #tick(): Promise<void> {
    const { interfaces, onChange, read = sysfsCarrier() } = this.#options;
    const states = await Promise.all(interfaces.map((iface) => read(iface)));
    if (this.#stopped) return;
    interfaces.forEach((iface, i) => {
      const up = states[i];
      if (up === undefined || up === (this.#up.get(iface) ?? true)) {
        if (up !== undefined) this.#up.set(iface, up);
        return;
      }
      this.#up.set(iface, up);
      onChange(iface, up);
    });
    // unref'd: the agent's own loops keep the process alive; the watch alone must not.
    this.#timer = setTimeout(() => void this.#tick(), this.#options.intervalMs ?? DEFAULT_LINK_WATCH_MS);
    this.#timer.unref();
  }
}
