// A persistence table (HAProxy stick-table): key → member id, bounded in size with least-recently-used
// eviction like `stick-table … size 10k` (reference §12.3), and optionally expiring (`expire`, LVS
// `persistence_timeout` for UDP pools, reference §12.6). Expiry is lazy so the table owns no timers.

/** HAProxy's `haproxy_stick_size` default as Octavia renders it (reference §12.3). */
export const STICK_TABLE_SIZE = 10_000;

export class StickyTable {
  readonly #entries = new Map<string, { memberId: string; expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #size: number;

  /** `ttlMs` 0 = entries never expire (only eviction removes them). */
  constructor(ttlMs = 0, size = STICK_TABLE_SIZE) {
    this.#ttlMs = ttlMs;
    this.#size = size;
  }

  get(key: string, now = Date.now()): string | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt && entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.memberId;
  }

  /** Records (or refreshes) the member for `key`; using an entry counts as activity for both LRU and TTL. */
  set(key: string, memberId: string, now = Date.now()): void {
    this.#entries.delete(key);
    this.#entries.set(key, { memberId, expiresAt: this.#ttlMs ? now + this.#ttlMs : 0 });
    if (this.#entries.size > this.#size) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
