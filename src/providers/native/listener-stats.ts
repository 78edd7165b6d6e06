// Traffic counters of one listener (reference §4.5): bytes are the client side's (HAProxy's frontend
// bin/bout), counted live from open sockets plus what closed ones left behind; HTTP request times as a histogram.
import type { Socket } from 'node:net';
import { type ListenerCounters, REQUEST_TIME_BOUNDS } from '../../model/provider-driver.ts';

export class ListenerStats {
  #closedIn = 0;
  #closedOut = 0;
  #datagramIn = 0;
  #datagramOut = 0;
  #total = 0;
  #sessions = 0;
  #requestErrors = 0;
  /** per REQUEST_TIME_BOUNDS bucket, and one past the last; allocated by the first timed request */
  #timeCounts: number[] | undefined;
  #timeSum = 0;
  readonly #open = new Set<Socket>();

  /** Tracks a client connection until it closes. */
  track(socket: Socket): void {
    this.#total++;
    this.#open.add(socket);
    socket.once('close', () => {
      this.#open.delete(socket);
      this.#closedIn += socket.bytesRead;
      this.#closedOut += socket.bytesWritten;
    });
  }

  /** UDP sessions have no socket of their own: counted by hand. */
  sessionOpened(): void {
    this.#total++;
    this.#sessions++;
  }

  sessionClosed(): void {
    this.#sessions--;
  }

  datagram(direction: 'in' | 'out', bytes: number): void {
    if (direction === 'in') this.#datagramIn += bytes;
    else this.#datagramOut += bytes;
  }

  requestError(): void {
    this.#requestErrors++;
  }

  /** An HTTP request took `ms` from its head to its response's end. */
  requestTime(ms: number): void {
    const seconds = ms / 1000;
    this.#timeCounts ??= new Array<number>(REQUEST_TIME_BOUNDS.length + 1).fill(0);
    const counts = this.#timeCounts;
    let i = 0;
    while (i < REQUEST_TIME_BOUNDS.length && seconds > REQUEST_TIME_BOUNDS[i]) i++;
    counts[i] += 1;
    this.#timeSum += seconds;
  }

  get active(): number {
    return this.#open.size + this.#sessions;
  }

  /** Open client sockets, so a teardown can end them. */
  get openSockets(): ReadonlySet<Socket> {
    return this.#open;
  }

  snapshot(): ListenerCounters {
    let bytesIn = this.#closedIn + this.#datagramIn;
    let bytesOut = this.#closedOut + this.#datagramOut;
    for (const socket of this.#open) {
      bytesIn += socket.bytesRead;
      bytesOut += socket.bytesWritten;
    }
    return {
      bytesIn,
      bytesOut,
      activeConnections: this.active,
      totalConnections: this.#total,
      requestErrors: this.#requestErrors,
      ...(this.#timeCounts && {
        requestTimes: {
          counts: [...this.#timeCounts],
          sum: this.#timeSum,
          count: this.#timeCounts.reduce((a, b) => a + b, 0),
        },
      }),
    };
  }
}
