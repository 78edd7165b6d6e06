// The access log lines of one load balancer's data plane, waiting to be shipped: a bounded ring (the oldest
// line goes when it is full, and a counter says how many went), so logging never blocks nor grows memory.
// It starts small and doubles up to its capacity while lines wait: a host serves many quiet load balancers.
import type { AccessLogBatch } from '../model/provider-driver.ts';

export const ACCESS_LOG_CAPACITY = 10_000;
/** Slots an access log ring starts with before it grows. */
export const ACCESS_LOG_INITIAL_SLOTS = 64;

export class AccessLogRing {
  readonly #capacity: number;
  #lines: (string | undefined)[];
  /** index of the oldest line */
  #head = 0;
  #count = 0;
  /** lines pushed out by newer ones since the last drain */
  #dropped = 0;

  constructor(capacity = ACCESS_LOG_CAPACITY) {
    this.#capacity = Math.max(1, capacity);
    this.#lines = new Array<string | undefined>(Math.min(ACCESS_LOG_INITIAL_SLOTS, this.#capacity));
  }

  /** Slots allocated now (tests: memory follows use). */
  get slots(): number {
    return this.#lines.length;
  }

  get size(): number {
    return this.#count;
  }

  push(line: string): void {
    if (this.#count === this.#lines.length && this.#count < this.#capacity) this.#grow();
    const lines = this.#lines;
    const capacity = lines.length;
    if (this.#count === capacity) {
      // Full: overwrite the oldest.
      lines[this.#head] = line;
      this.#head = (this.#head + 1) % capacity;
      this.#dropped++;
      return;
    }
    lines[(this.#head + this.#count) % capacity] = line;
    this.#count++;
  }

  /** Lines dropped before they reached this ring (a worker's own ring was full). */
  countDropped(n: number): void {
    this.#dropped += n;
  }

  /** Takes up to `max` of the oldest lines, and the count of lines dropped since the last drain. */
  drain(max: number): AccessLogBatch {
    const lines = this.#lines;
    const n = Math.max(0, Math.min(max, this.#count));
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const at = (this.#head + i) % lines.length;
      out[i] = lines[at] as string;
      lines[at] = undefined;
    }
    this.#head = (this.#head + n) % lines.length;
    this.#count -= n;
    const dropped = this.#dropped;
    this.#dropped = 0;
    return { lines: out, dropped };
  }

  /** Doubles the slots (up to the capacity), the waiting lines moved to the front, oldest first. */
  #grow(): void {
    const old = this.#lines;
    const lines = new Array<string | undefined>(Math.min(this.#capacity, old.length * 2));
    for (let i = 0; i < this.#count; i++) lines[i] = old[(this.#head + i) % old.length];
    this.#lines = lines;
    this.#head = 0;
  }
}
