// Housekeeping (architecture §1): every interval, purges load balancers DELETED longer ago than the expiry
// age and expired tokens, so the store does not grow without bound, and VRRP groups no placement is in any
// more (with their anchor ports; normally gone with their last load balancer, this is the backstop), and status
// events past their retention (the newest 1,000 per load balancer, none older than 14 days) in bounded batches.
// Idempotent; safe on several controllers.
import type { Logger } from 'pino';
import type { Store } from '../store/database.ts';
import {
  purgeDeletedLoadBalancers,
  purgeExpiredTokens,
} from '../store/repositories/housekeeping-repository.ts';
import {
  EVENTS_KEPT,
  pruneStatusEvents,
  type Retention,
} from '../store/repositories/status-event-repository.ts';
import { deleteEmptyVrrpGroups } from '../store/repositories/vrrp-group-repository.ts';
import { timedPass } from './loop-metrics.ts';

/** Status events kept per load balancer, and for how long at most. */
export const EVENT_RETENTION = { keep: EVENTS_KEPT, maxAgeMs: 14 * 24 * 3600 * 1000 } as const;
/** Bounds of one pass: rows per DELETE, load balancers trimmed; a backlog drains over the next passes. */
const PRUNE_BOUNDS = { batch: 5000, loadBalancersPerPass: 100 } as const;

export type HousekeepingOptions = Readonly<{
  store: Store;
  logger: Logger;
  /** how long a DELETED load balancer row is kept (ms); Octavia's load_balancer_expiry_age is one week */
  deletedExpiryMs?: number;
  intervalMs?: number;
}>;

export type SweepResult = { loadBalancers: number; tokens: number; vrrpGroups: number; events: number };

export class Housekeeping {
  readonly #options: HousekeepingOptions;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: HousekeepingOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(
      () => void timedPass('housekeeping', () => this.sweep()).catch(() => undefined),
      this.#options.intervalMs ?? 60_000,
    );
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async sweep(at = Date.now()): Promise<SweepResult> {
    const { db } = this.#options.store;
    try {
      const expiry = this.#options.deletedExpiryMs ?? 7 * 24 * 3600 * 1000;
      const loadBalancers = await purgeDeletedLoadBalancers(db, new Date(at - expiry).toISOString());
      const tokens = await purgeExpiredTokens(db, new Date(at).toISOString());
      const vrrpGroups = await deleteEmptyVrrpGroups(db);
      const retention: Retention = {
        keep: EVENT_RETENTION.keep,
        olderThan: new Date(at - EVENT_RETENTION.maxAgeMs).toISOString(),
        ...PRUNE_BOUNDS,
      };
      const events = await pruneStatusEvents(db, retention);
      if (loadBalancers + tokens + vrrpGroups + events > 0)
        this.#options.logger.info({ loadBalancers, tokens, vrrpGroups, events }, 'housekeeping purged');
      return { loadBalancers, tokens, vrrpGroups, events };
    } catch (error) {
      this.#options.logger.error({ err: error }, 'housekeeping failed');
      return { loadBalancers: 0, tokens: 0, vrrpGroups: 0, events: 0 };
    }
  }
}
