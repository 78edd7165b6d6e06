// The health manager (architecture §1): an agent whose heartbeats stop for longer than the timeout is marked
// DOWN, and every load balancer it served is moved to a live agent (its standby, or another agent serving the
// provider) so traffic resumes there. Placements bound to no agent at all (load balancers from before agents
// existed, or whose agent was deleted) are bound the same way. Load balancers with nowhere to go stay bound and show operating status
// ERROR (the status aggregator's rule) until an agent can take them. Pending load balancers are left to the
// provisioner, which schedules them the same way. ACTIVE_STANDBY load balancers whose pair of agents can
// hold a VRRP group join one (vrrp-grouping.ts) after a move, or once both agents register keepalived. Silence is only trusted when the manager itself ran on time:
// a pass that comes late (this process was stalled) marks no agent DOWN, since the heartbeats of that
// stretch may still sit unread in its sockets.
import type { Logger } from 'pino';
import { isPending } from '../model/statuses.ts';
import type { ChangeFeed } from '../store/change-feed.ts';
import type { Store } from '../store/database.ts';
import { listAgents, markSilentAgentsDown } from '../store/repositories/agent-repository.ts';
import { getLoadBalancerRow } from '../store/repositories/load-balancer-repository.ts';
import {
  listPlacements,
  loadBalancersWithUnboundPlacements,
  placementsOnAgents,
} from '../store/repositories/placement-repository.ts';
import { ungroupedVrrpPairs } from '../store/repositories/vrrp-group-repository.ts';
import { timedPass } from './loop-metrics.ts';
import { schedulePlacements } from './scheduler.ts';
import { groupForVrrp } from './vrrp-grouping.ts';

export type HealthManagerOptions = Readonly<{
  store: Store;
  changes: ChangeFeed;
  logger: Logger;
  heartbeatTimeoutMs: number;
  intervalMs: number;
  /** providers applied in the controller's process (their placements never have an agent) */
  localProviders: readonly string[];
}>;

export class HealthManager {
  readonly #options: HealthManagerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #lastTick: number | undefined;
  /** whether the last pass skipped marking silent agents (it came late) */
  #skipped = false;

  constructor(options: HealthManagerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.tick(performance.now()), this.#options.intervalMs);
    this.#timer.unref();
  }

  /**
   * One timer tick at `now` (monotonic ms): a sweep, unless one still runs. A tick more than two intervals
   * after the previous one means this process was stalled: its timers run before the requests that queued
   * meanwhile are read (https://nodejs.org/en/learn/asynchronous-work/event-loop-timers-and-nexttick), so
   * agents would look silent that are not. That pass moves nothing off agents it would newly mark DOWN. Only
   * one pass in a row is skipped: the I/O that ran between it and the next tick read what had queued, so a
   * process late on every tick (a loaded machine, a short interval) still marks silent agents DOWN.
   */
  tick(now: number): Promise<void> {
    const late = this.#lastTick !== undefined && now - this.#lastTick > 2 * this.#options.intervalMs;
    const skip = late && !this.#skipped;
    this.#lastTick = now;
    if (!this.#running) {
      this.#skipped = skip;
      this.#running = timedPass('health-manager', () => this.sweep({ markSilent: !skip })).finally(() => {
        this.#running = undefined;
      });
    }
    return this.#running;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass: mark silent agents DOWN, then move what dead agents served wherever it can go. */
  async sweep(options: Readonly<{ markSilent: boolean }> = { markSilent: true }): Promise<void> {
    const { db } = this.#options.store;
    try {
      const newlyDown = options.markSilent
        ? await markSilentAgentsDown(db, this.#options.heartbeatTimeoutMs)
        : [];
      for (const id of newlyDown)
        this.#options.logger.warn({ agent: id }, 'agent missed its heartbeats: DOWN');
      const agents = await listAgents(db);
      const down = agents.filter((a) => a.status !== 'UP').map((a) => a.id);
      const stranded = new Set([
        ...(await placementsOnAgents(db, down)).map((p) => p.loadBalancerId),
        ...(await loadBalancersWithUnboundPlacements(db, this.#options.localProviders)),
      ]);
      for (const lbId of stranded) {
        const lb = await getLoadBalancerRow(db, lbId);
        if (!lb || isPending(lb.provisioningStatus) || lb.provisioningStatus === 'DELETED') continue;
        const moved = await schedulePlacements(db, lb, await listPlacements(db, lbId), agents, false);
        if (moved) this.#options.logger.info({ loadBalancer: lbId }, 'placed on a live agent');
        const grouped = await groupForVrrp(
          db,
          lb,
          await listPlacements(db, lbId),
          agents,
          this.#options.logger,
        );
        if (moved || grouped) this.#options.changes.notify(lbId);
      }
      // Pairs that became able to share a VRRP group (an agent now registered with keepalived) join one.
      for (const lbId of await ungroupedVrrpPairs(db)) {
        if (stranded.has(lbId)) continue;
        const lb = await getLoadBalancerRow(db, lbId);
        if (!lb) continue;
        if (await groupForVrrp(db, lb, await listPlacements(db, lbId), agents, this.#options.logger))
          this.#options.changes.notify(lbId);
      }
    } catch (error) {
      this.#options.logger.error({ err: error }, 'health manager pass failed');
    }
  }
}
