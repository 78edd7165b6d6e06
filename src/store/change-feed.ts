// Wakes whoever converges load balancers (the controller) as soon as the API commits a change, so
// provisioning does not wait for the next poll. Across processes a relay (pg-change-relay.ts) carries the
// wakes: it hears local ones through onLocal() and hands remote ones to receive(); the polls stay the backstop.

export type ChangeListener = (loadBalancerId: string) => void;

export class ChangeFeed {
  readonly #listeners = new Set<ChangeListener>();
  readonly #outbound = new Set<ChangeListener>();

  /** A change made in this process: local listeners, then the relays, which publish it. */
  notify(loadBalancerId: string): void {
    this.receive(loadBalancerId);
    for (const relay of this.#outbound) relay(loadBalancerId);
  }

  /** A change another process made: local listeners only, never handed to a relay (no echo loops). */
  receive(loadBalancerId: string): void {
    for (const listener of this.#listeners) listener(loadBalancerId);
  }

  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** For a relay: sees every notify() of this process, none of the receive()s. */
  onLocal(relay: ChangeListener): () => void {
    this.#outbound.add(relay);
    return () => this.#outbound.delete(relay);
  }
}
