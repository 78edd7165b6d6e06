// What the long-poll last answered each agent, by etag: per load balancer a key of what it was sent (provider,
// revision, VRRP view). An agent that sends back an etag found here gets only the load balancers whose key
// changed, and the ids that left its set (issue #18: a change carries only the changed load balancer's
// document). Bounded and per process: an etag not found (API restart, another API replica, evicted) gets the
// whole set, which is always correct.

/** Per load balancer id, the key of what the agent was sent. */
export type SnapshotIndex = ReadonlyMap<string, string>;

export class DesiredSnapshots {
  readonly #limit: number;
  readonly #entries = new Map<string, SnapshotIndex>();

  constructor(limit = 1024) {
    this.#limit = limit;
  }

  recall(agentId: string, etag: string): SnapshotIndex | undefined {
    const key = `${agentId} ${etag}`;
    const index = this.#entries.get(key);
    if (index === undefined) return undefined;
    // Least recently used first in iteration order: a hit moves to the end.
    this.#entries.delete(key);
    this.#entries.set(key, index);
    return index;
  }

  remember(agentId: string, etag: string, index: SnapshotIndex): void {
    const key = `${agentId} ${etag}`;
    this.#entries.delete(key);
    this.#entries.set(key, index);
    while (this.#entries.size > this.#limit) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}
