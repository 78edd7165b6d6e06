// One member's health-check loop and its rise/fall state: a check every `delay` seconds, one in flight at a
// time, UP→DOWN after `max_retries_down` consecutive failures and DOWN→UP after `max_retries` successes.
import type { DesiredHealthMonitor } from '../../../model/desired-state.ts';
import type { CheckTarget, HealthChecker } from './health-checker.ts';
import { checkIntervalMs } from './health-checker.ts';

export type MemberHealth = 'UP' | 'DOWN';

export type MemberProbeOptions = Readonly<{
  target: CheckTarget;
  monitor: DesiredHealthMonitor;
  checker: HealthChecker;
  /** names the member in log lines */
  label: string;
  log: (message: string) => void;
  /** in [0, 1): where in the first interval the first check falls */
  random: () => number;
}>;

export class MemberProbe {
  readonly #target: CheckTarget;
  readonly #checker: HealthChecker;
  readonly #label: string;
  readonly #log: (message: string) => void;
  readonly #random: () => number;
  readonly #abort = new AbortController();
  #monitor: DesiredHealthMonitor;
  /**
   * Optimistic start: traffic flows as soon as a member is configured. HAProxy also starts a checked server
   * UP (its server setup sets `check.health = check.rise`, "up, but will fall down at first failure") unless
   * `load-server-state-from-file` restores another state; we ask for the full `fall` count of failures
   * before ejecting, so one lost probe right after creation does not bounce a healthy member.
   */
  #status: MemberHealth = 'UP';
  /** consecutive results that contradict #status (HAProxy `fall`/`rise` count consecutive checks) */
  #streak = 0;
  #lastFailureReason: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #closed = false;

  constructor(options: MemberProbeOptions) {
    this.#target = options.target;
    this.#monitor = options.monitor;
    this.#checker = options.checker;
    this.#label = options.label;
    this.#log = options.log;
    this.#random = options.random;
    // Spread first checks over one interval so members are not probed in lock-step: HAProxy likewise
    // staggers its servers' first checks across `inter` (start_checks in src/check.c).
    this.#schedule(this.#random() * checkIntervalMs(this.#monitor));
  }

  get status(): MemberHealth {
    return this.#status;
  }

  /** Applies new timing or thresholds of an equivalent monitor, keeping the member's state. */
  reconfigure(monitor: DesiredHealthMonitor): void {
    const previousInterval = checkIntervalMs(this.#monitor);
    this.#monitor = monitor;
    if (this.#timer !== undefined && checkIntervalMs(monitor) !== previousInterval) {
      clearTimeout(this.#timer);
      this.#schedule(this.#random() * checkIntervalMs(monitor));
    }
  }

  /** Stops the loop; resolves once no check is left running. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#abort.abort();
    await this.#inFlight;
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const started = performance.now();
      this.#inFlight = this.#check().then(() => {
        this.#inFlight = undefined;
        // Checks start every interval; a check slower than that is followed by the next one at once.
        if (!this.#closed)
          this.#schedule(Math.max(0, started + checkIntervalMs(this.#monitor) - performance.now()));
      });
    }, delayMs);
  }

  async #check(): Promise<void> {
    let up: boolean;
    let reason: string | undefined;
    try {
      up = await this.#checker(this.#target, this.#monitor, this.#abort.signal);
    } catch (error) {
      up = false;
      reason = error instanceof Error ? error.message : String(error);
    }
    if (this.#closed) return;
    // A check that cannot run logs why, once per distinct reason rather than every interval.
    if (reason !== undefined && reason !== this.#lastFailureReason) this.#log(`${this.#label}: ${reason}`);
    this.#lastFailureReason = reason;
    this.#record(up);
  }

  #record(up: boolean): void {
    if (up === (this.#status === 'UP')) {
      this.#streak = 0;
      return;
    }
    this.#streak += 1;
    const needed = this.#status === 'UP' ? this.#monitor.maxRetriesDown : this.#monitor.maxRetries;
    if (this.#streak < needed) return;
    this.#status = up ? 'UP' : 'DOWN';
    this.#streak = 0;
    const { address, port } = this.#target;
    this.#log(`${this.#label} is ${this.#status} after ${needed} consecutive checks of ${address}:${port}`);
  }
}
