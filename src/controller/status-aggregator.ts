// Turns data-plane reports into operating statuses and listener statistics (reference §11): every interval,
// for each load balancer, the latest observation of its serving placement (sent by its agent) or of an
// in-process provider goes through the §11.2 roll-up, written where it changed. A load balancer whose agent
// is not UP is operating ERROR (Octavia's health manager does the same for a failed amphora). Providers that
// observe nothing (noop) leave statuses as the API set them.
import type { Logger } from 'pino';
import { type Agent, isServing } from '../model/agent.ts';
import { operatingStatuses } from '../model/operating-status.ts';
import type { ProviderDriver, ProviderReport } from '../model/provider-driver.ts';
import type { Store } from '../store/database.ts';
import { listAgents } from '../store/repositories/agent-repository.ts';
import {
  loadStatusInputs,
  setLoadBalancerOperatingStatus,
  writeListenerCounters,
  writeOperatingStatuses,
} from '../store/repositories/operating-status-repository.ts';
import { listPlacements } from '../store/repositories/placement-repository.ts';

export type StatusAggregatorOptions = Readonly<{
  store: Store;
  /** providers running in this process; the others report through agents */
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

  /** One pass over every live load balancer. */
  async aggregate(): Promise<void> {
    const { db } = this.#options.store;
    try {
      const lbs = await db
        .selectFrom('load_balancers')
        .select(['id', 'provider'])
        .where('provisioning_status', 'in', ['ACTIVE', 'PENDING_UPDATE', 'ERROR'])
        .execute();
      const agents = new Map((await listAgents(db)).map((a) => [a.id, a]));
      for (const lb of lbs) {
        // One load balancer's bad report must not stop the others' statuses.
        await this.#aggregateOne(lb.id, lb.provider, agents).catch((error) =>
          this.#options.logger.error({ err: error, loadBalancer: lb.id }, 'status aggregation failed'),
        );
      }
    } catch (error) {
      this.#options.logger.error({ err: error }, 'status aggregation failed');
    }
  }

  async #aggregateOne(lbId: string, provider: string, agents: ReadonlyMap<string, Agent>): Promise<void> {
    const local = this.#options.drivers.get(provider);
    if (local) {
      const report = local.report?.(lbId);
      if (report) await this.#write(lbId, report, {});
      return;
    }
    const { db } = this.#options.store;
    const serving = (await listPlacements(db, lbId)).find((p) => isServing(p.role) && p.agentId !== null);
    if (!serving) return;
    const agent = agents.get(serving.agentId as string);
    if (agent?.status !== 'UP') await setLoadBalancerOperatingStatus(db, lbId, 'ERROR');
    else if (serving.report) {
      await this.#write(lbId, serving.report, { placementId: serving.id, epoch: agent.epoch ?? undefined });
    }
  }

  async #write(lbId: string, report: ProviderReport, source: { placementId?: string; epoch?: string }) {
    const { db } = this.#options.store;
    const inputs = await loadStatusInputs(db, lbId);
    if (!inputs) return;
    await writeOperatingStatuses(db, lbId, operatingStatuses(inputs, report));
    await writeListenerCounters(db, lbId, report, source);
  }
}
