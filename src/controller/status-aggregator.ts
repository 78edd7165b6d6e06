// Turns data-plane reports into operating statuses and listener statistics (reference §11): every interval,
// for each load balancer, the latest observation of its serving placement (sent by its agent) or of an
// in-process provider goes through the §11.2 roll-up, written where it changed. A load balancer whose agent
// is not UP is operating ERROR (Octavia's health manager does the same for a failed amphora). Providers that
// observe nothing (noop) leave statuses as the API set them.
// A pass reads every load balancer's inputs in two queries and rolls up only those whose inputs changed since
// it last did (revision, status, serving placement, agent, observation text), plus a rotating slice of the
// others as a backstop: at 1,000 load balancers rolling all of them up every second kept the API process busy
// for half of each second (issue #18).
import type { Logger } from 'pino';
import type { Agent } from '../model/agent.ts';
import { operatingStatuses } from '../model/operating-status.ts';
import type { ProviderDriver, ProviderReport } from '../model/provider-driver.ts';
import { inRefreshSlice } from '../model/refresh-slice.ts';
import { fromJson } from '../store/codec.ts';
import type { Store } from '../store/database.ts';
import { listAgents } from '../store/repositories/agent-repository.ts';
import {
  loadStatusInputs,
  setLoadBalancerOperatingStatus,
  writeListenerCounters,
  writeOperatingStatuses,
} from '../store/repositories/operating-status-repository.ts';
import { type ServingObservation, servingObservations } from '../store/repositories/placement-repository.ts';
import { timedPass } from './loop-metrics.ts';

/** Every load balancer is rolled up at least once in this many passes, changed or not. */
export const REFRESH_EVERY_PASSES = 60;

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
  /** per load balancer, the inputs it was last rolled up from */
  readonly #rolledUp = new Map<string, readonly unknown[]>();
  #passes = 0;

  constructor(options: StatusAggregatorOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#running = timedPass('status-aggregator', () => this.aggregate()).finally(() => {
        this.#running = undefined;
      });
    }, this.#options.intervalMs ?? 1000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass over every live load balancer whose inputs changed (and the slice due for a refresh). */
  async aggregate(): Promise<void> {
    const { db } = this.#options.store;
    const pass = this.#passes;
    this.#passes += 1;
    try {
      const lbs = await db
        .selectFrom('load_balancers')
        .select(['id', 'provider', 'revision', 'provisioning_status'])
        .where('provisioning_status', 'in', ['ACTIVE', 'PENDING_UPDATE', 'ERROR'])
        .execute();
      const agents = new Map((await listAgents(db)).map((a) => [a.id, a]));
      const serving = await servingObservations(db);
      const live = new Set<string>();
      for (const lb of lbs) {
        live.add(lb.id);
        const observation = serving.get(lb.id);
        const agent = observation && agents.get(observation.agentId);
        // Compared value by value: the observation is the report's JSON text as stored, and serialising every
        // one of them again on each pass (about a MiB a second at 1,000 load balancers) only to compare it
        // held the API's event loop for milliseconds.
        const inputs = [
          lb.revision,
          lb.provisioning_status,
          observation?.placementId,
          agent?.status,
          agent?.epoch,
          observation?.report,
        ];
        // An in-process provider's report is not in the store: it is rolled up on every pass.
        const local = this.#options.drivers.has(lb.provider);
        const due = inRefreshSlice(lb.id, pass, REFRESH_EVERY_PASSES);
        const before = this.#rolledUp.get(lb.id);
        if (!local && !due && before?.every((value, i) => value === inputs[i])) continue;
        // One load balancer's bad report must not stop the others' statuses.
        await this.#aggregateOne(lb.id, lb.provider, observation, agent).then(
          () => this.#rolledUp.set(lb.id, inputs),
          (error) => {
            this.#rolledUp.delete(lb.id);
            this.#options.logger.error({ err: error, loadBalancer: lb.id }, 'status aggregation failed');
          },
        );
      }
      for (const id of this.#rolledUp.keys()) if (!live.has(id)) this.#rolledUp.delete(id);
    } catch (error) {
      this.#options.logger.error({ err: error }, 'status aggregation failed');
    }
  }

  async #aggregateOne(
    lbId: string,
    provider: string,
    serving: ServingObservation | undefined,
    agent: Agent | undefined,
  ): Promise<void> {
    const local = this.#options.drivers.get(provider);
    if (local) {
      const report = local.report?.(lbId);
      if (report) await this.#write(lbId, report, {}, `provider ${provider}`);
      return;
    }
    if (!serving) return;
    const { db } = this.#options.store;
    if (agent?.status !== 'UP') await setLoadBalancerOperatingStatus(db, lbId, 'ERROR', agentLost(agent));
    else {
      const report = fromJson<ProviderReport | null>(serving.report, null);
      if (!report) return;
      const source = { placementId: serving.placementId, epoch: agent.epoch ?? undefined };
      await this.#write(lbId, report, source, `agent ${agent.name}`);
    }
  }

  async #write(
    lbId: string,
    report: ProviderReport,
    source: { placementId?: string; epoch?: string },
    by: string,
  ) {
    const { db } = this.#options.store;
    const inputs = await loadStatusInputs(db, lbId);
    if (!inputs) return;
    await writeOperatingStatuses(db, lbId, operatingStatuses(inputs, report), by);
    await writeListenerCounters(db, lbId, report, source);
  }
}

/** Why a load balancer whose serving agent is not UP is operating ERROR (its status event's reason). */
export function agentLost(agent: Agent | undefined, at = Date.now()): string {
  if (!agent) return 'no agent serves it';
  const silent = agent.heartbeatAt ? Math.round((at - Date.parse(agent.heartbeatAt)) / 1000) : undefined;
  const heartbeat = silent === undefined ? 'no heartbeat' : `no heartbeat for ${silent} s`;
  return `agent ${agent.name} lost (${agent.status}, ${heartbeat})`;
}
