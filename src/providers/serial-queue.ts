// Runs tasks one at a time per key (per load balancer): a later apply waits for the earlier one, whatever its
// outcome, so a provider never works on two revisions of one load balancer at once.
export class SerialQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /** True while a task for `key` runs or waits. */
  busy(key: string): boolean {
    return this.#tails.has(key);
  }

  run(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => {});
    this.#tails.set(key, settled);
    void settled.then(() => {
      if (this.#tails.get(key) === settled) this.#tails.delete(key);
    });
    return next;
  }
}
