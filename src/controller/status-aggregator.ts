// Turns data-plane reports into operating statuses and listener statistics (reference §11): every interval,
// for each load balancer served by a provider that reports, the §11.2 roll-up is computed and written where
// it changed. Providers that observe nothing (noop) leave statuses as the API set them.
import type { Logger } from 'pino';
import { operatingStatuses } from '../model/operating-status.js';
import type { ProviderDriver } from '../model/provider-driver.js';
import type { Store } from '../store/database.js';
import {
  loadStatusInputs,
  writeListenerCounters,
  writeOperatingStatuses,
} from '../store/repositories/operating-status-repository.js';

export type StatusAggregatorOptions = Readonly<{
  store: Store;
  drivers: ReadonlyMap<string, ProviderDriver>;
  logger: Logger;
  intervalMs?: number;
}>;

export class StatusAggregator {
  readonly #options: StatusAggregatorOptions;
  #timer: NodeJS.Timeout | undefined;
  /** the pass in progress: a tick that finds one running is skipped, so passes never pile up */
  #running: Promise<void> | undefined;

  constructor(options: StatusAggregatorOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#running = this.aggregate().finally(() => {
        this.#running = undefined;
      });
    }, this.#options.intervalMs ?? 1000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass over every live load balancer whose provider reports. */
  async aggregate(): Promise<void> {
    const { db } = this.#options.store;
    try {
      const lbs = await db
        .selectFrom('load_balancers')
        .select(['id', 'provider'])
        .where('provisioning_status', 'in', ['ACTIVE', 'PENDING_UPDATE', 'ERROR'])
        .execute();
      for (const lb of lbs) {
        const report = this.#options.drivers.get(lb.provider)?.report?.(lb.id);
        if (!report) continue;
        const inputs = await loadStatusInputs(db, lb.id);
        if (!inputs) continue;
        await writeOperatingStatuses(db, lb.id, operatingStatuses(inputs, report));
        await writeListenerCounters(db, lb.id, report);
      }
    } catch (error) {
      this.#options.logger.error({ err: error }, 'status aggregation failed');
    }
  }
}
