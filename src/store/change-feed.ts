// Wakes whoever converges load balancers (the controller) as soon as the API commits a change, so
// provisioning does not wait for the next poll. Across processes the controller's poll is the backstop.

export type ChangeListener = (loadBalancerId: string) => void;

export class ChangeFeed {
  readonly #listeners = new Set<ChangeListener>();

  notify(loadBalancerId: string): void {
    for (const listener of this.#listeners) listener(loadBalancerId);
  }

  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
