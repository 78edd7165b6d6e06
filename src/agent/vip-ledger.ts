// The VIP ledger: which addresses this host's agent added to which interface, for which load balancer, kept in
// a small JSON file in the agent's data dir. It outlives the agent process (kill -9 leaves the addresses in
// the kernel), so the next agent on the data dir knows what it must remove when no longer desired.
import fs from 'node:fs';

export type LedgerEntry = Readonly<{ loadBalancerId: string; address: string; iface: string }>;

const VERSION = 1;

export class VipLedger {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  /** What an earlier agent recorded; none when there is no file yet. A file that cannot be read throws. */
  load(): LedgerEntry[] {
    let text: string;
    try {
      text = fs.readFileSync(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const parsed = JSON.parse(text) as { version?: unknown; addresses?: unknown };
    if (parsed.version !== VERSION || !Array.isArray(parsed.addresses))
      throw new Error(`${this.#file}: not a VIP ledger of version ${VERSION}`);
    return parsed.addresses.filter(
      (e): e is LedgerEntry =>
        typeof e?.loadBalancerId === 'string' && typeof e.address === 'string' && typeof e.iface === 'string',
    );
  }

  /**
   * Replaces the ledger atomically: written to a temporary file, then renamed over it (rename(2) replaces the
   * target atomically, https://man7.org/linux/man-pages/man2/rename.2.html), so a process killed mid-write
   * leaves the old ledger or the new one, never half of one. Not fsynced: the page cache survives a killed
   * process, and a host that loses power loses its addresses too.
   */
  save(entries: readonly LedgerEntry[]): void {
    const temporary = `${this.#file}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify({ version: VERSION, addresses: entries })}\n`, {
      mode: 0o600,
    });
    fs.renameSync(temporary, this.#file);
  }
}
