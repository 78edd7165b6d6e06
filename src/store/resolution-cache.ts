// An in-memory, bounded (least recently used) cache of TLS material resolved from the secret store, so the
// agents' long polls and the provisioner's passes do not decrypt and parse the same bundles again. Each entry
// carries the revision of what it was made from; a lookup with another revision (secret deleted, expired or
// given its payload, container changed) misses and drops the entry.

export const RESOLUTION_CACHE_ENTRIES = 1000;

type Entry = { revision: string; value: unknown };

export class ResolutionCache {
  readonly #capacity: number;
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used first.
  readonly #entries = new Map<string, Entry>();

  constructor(capacity = RESOLUTION_CACHE_ENTRIES) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('cache capacity must be ≥ 1');
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value cached under `key` for exactly `revision`; a stale entry is dropped. */
  get<T>(key: string, revision: string | undefined): T | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (revision === undefined || entry.revision !== revision) return undefined;
    this.#entries.set(key, entry);
    return entry.value as T;
  }

  set(key: string, revision: string, value: unknown): void {
    this.#entries.delete(key);
    this.#entries.set(key, { revision, value });
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  /**
   * The value for `key` at `revision`, made by `load` on a miss and kept when a revision is known (no revision:
   * nothing readable is there, so `load` answers, normally with the failure). Failures are never cached.
   */
  async through<T>(key: string, revision: string | undefined, load: () => Promise<T>): Promise<T> {
    const hit = this.get<T>(key, revision);
    if (hit !== undefined) return hit;
    const value = await load();
    if (revision !== undefined) this.set(key, revision, value);
    return value;
  }
}
