// The native data plane's access log buffer: a bounded ring of entries (the oldest goes when it is full, and
// is counted) whose lines are formatted only when the agent takes them. Per request it keeps references to
// strings that already exist and numbers in typed arrays: at tens of thousands of requests a second most
// entries are overwritten before they are shipped, so formatting them up front was wasted work and garbage.
// The ring starts small and doubles up to its capacity as lines wait: a host runs many quiet load balancers,
// and 10,000 slots allocated up front cost each of them about 1 MiB.
import type { AccessLogBatch } from '../../../model/provider-driver.ts';
import { ACCESS_LOG_CAPACITY, ACCESS_LOG_INITIAL_SLOTS } from '../../access-log-ring.ts';
import { type AccessLogEntry, accessLogLine } from './access-log-line.ts';

const NONE = -1;

export class AccessLogEntries {
  readonly #capacity: number;
  /** slots allocated: from ACCESS_LOG_INITIAL_SLOTS, doubled while the ring is full, up to the capacity */
  #slots: number;
  #strings: (string | undefined)[];
  #numbers: Float64Array;
  #head = 0;
  #count = 0;
  #dropped = 0;

  constructor(capacity = ACCESS_LOG_CAPACITY) {
    this.#capacity = Math.max(1, capacity);
    this.#slots = Math.min(ACCESS_LOG_INITIAL_SLOTS, this.#capacity);
    this.#strings = new Array<string | undefined>(this.#slots * STRINGS);
    this.#numbers = new Float64Array(this.#slots * NUMBERS);
  }

  /** Slots allocated now (tests: memory follows use). */
  get slots(): number {
    return this.#slots;
  }

  get size(): number {
    return this.#count;
  }

  push(e: AccessLogEntry): void {
    if (this.#count === this.#slots && this.#slots < this.#capacity) this.#grow();
    let slot: number;
    if (this.#count === this.#slots) {
      slot = this.#head;
      this.#head = (this.#head + 1) % this.#slots;
      this.#dropped++;
    } else {
      slot = (this.#head + this.#count) % this.#slots;
      this.#count++;
    }
    const s = this.#strings;
    const i = slot * STRINGS;
    s[i] = e.listenerId;
    s[i + 1] = e.clientAddress;
    s[i + 2] = e.request;
    s[i + 3] = e.sslSubject;
    s[i + 4] = e.poolId;
    s[i + 5] = e.memberId;
    s[i + 6] = e.termination;
    const n = this.#numbers;
    const j = slot * NUMBERS;
    n[j] = e.clientPort;
    n[j + 1] = e.start;
    n[j + 2] = e.status ?? NONE;
    n[j + 3] = e.bytesOut;
    n[j + 4] = e.bytesIn;
    n[j + 5] = e.sslVerify ?? NONE;
    n[j + 6] = e.end;
  }

  /** Formats and takes up to `max` of the oldest lines, and the count dropped since the last drain. */
  drain(max: number): AccessLogBatch {
    const n = Math.max(0, Math.min(max, this.#count));
    const lines = new Array<string>(n);
    const s = this.#strings;
    const num = this.#numbers;
    for (let k = 0; k < n; k++) {
      const slot = (this.#head + k) % this.#slots;
      const i = slot * STRINGS;
      const j = slot * NUMBERS;
      const status = num[j + 2] as number;
      const sslVerify = num[j + 5] as number;
      lines[k] = accessLogLine({
        listenerId: s[i] as string,
        clientAddress: s[i + 1] as string,
        request: s[i + 2],
        sslSubject: s[i + 3] as string,
        poolId: s[i + 4],
        memberId: s[i + 5],
        termination: s[i + 6] as string,
        clientPort: num[j] as number,
        start: num[j + 1] as number,
        status: status === NONE ? undefined : status,
        bytesOut: num[j + 3] as number,
        bytesIn: num[j + 4] as number,
        sslVerify: sslVerify === NONE ? undefined : sslVerify,
        end: num[j + 6] as number,
      });
      s.fill(undefined, i, i + STRINGS);
    }
    this.#head = (this.#head + n) % this.#slots;
    this.#count -= n;
    const dropped = this.#dropped;
    this.#dropped = 0;
    return { lines, dropped };
  }

  /** Doubles the slots (up to the capacity), the waiting entries moved to the front, oldest first. */
  #grow(): void {
    const slots = Math.min(this.#capacity, this.#slots * 2);
    const strings = new Array<string | undefined>(slots * STRINGS);
    const numbers = new Float64Array(slots * NUMBERS);
    for (let k = 0; k < this.#count; k++) {
      const from = (this.#head + k) % this.#slots;
      for (let f = 0; f < STRINGS; f++) strings[k * STRINGS + f] = this.#strings[from * STRINGS + f];
      numbers.set(this.#numbers.subarray(from * NUMBERS, (from + 1) * NUMBERS), k * NUMBERS);
    }
    this.#strings = strings;
    this.#numbers = numbers;
    this.#slots = slots;
    this.#head = 0;
  }
}

/** Slots per entry: listener, client address, request, ssl subject, pool, member, termination. */
const STRINGS = 7;
/** client port, start, status, bytes out, bytes in, ssl verify, end. */
const NUMBERS = 7;
