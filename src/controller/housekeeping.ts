// Housekeeping (architecture §1): every interval, purges load balancers DELETED longer ago than the expiry
// age and expired tokens, so the store does not grow without bound, and VRRP groups no placement is in any
// more (with their anchor ports; normally gone with their last load balancer, this is the backstop). Idempotent; safe on several controllers.
import type { Logger } from 'pino';
import type { Store } from '../store/database.ts';
import {
  purgeDeletedLoadBalancers,
  purgeExpiredTokens,
} from '../store/repositories/housekeeping-repository.ts';
import { deleteEmptyVrrpGroups } from '../store/repositories/vrrp-group-repository.ts';

export type HousekeepingOptions = Readonly<{
  store: Store;
  logger: Logger;
  /** how long a DELETED load balancer row is kept (ms); Octavia's load_balancer_expiry_age is one week */
  deletedExpiryMs?: number;
  intervalMs?: number;
}>;

export class Housekeeping {
  readonly #options: HousekeepingOptions;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: HousekeepingOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.sweep(), this.#options.intervalMs ?? 60_000);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async sweep(at = Date.now()): Promise<{ loadBalancers: number; tokens: number; vrrpGroups: number }> {
    const { db } = this.#options.store;
    try {
      const expiry = this.#options.deletedExpiryMs ?? 7 * 24 * 3600 * 1000;
      const loadBalancers = await purgeDeletedLoadBalancers(db, new Date(at - expiry).toISOString());
      const tokens = await purgeExpiredTokens(db, new Date(at).toISOString());
      const vrrpGroups = await deleteEmptyVrrpGroups(db);
      if (loadBalancers + tokens + vrrpGroups > 0)
        this.#options.logger.info({ loadBalancers, tokens, vrrpGroups }, 'housekeeping purged');
      return { loadBalancers, tokens, vrrpGroups };
    } catch (error) {
      this.#options.logger.error({ err: error }, 'housekeeping failed');
      return { loadBalancers: 0, tokens: 0, vrrpGroups: 0 };
    }
  }
}
