// Drives every load balancer whose desired state is not applied (PENDING_*) to its outcome, recorded with
// completeChange (reference §2.3): ACTIVE on success, ERROR with a reason on failure or timeout, DELETED
// (children, amphorae and VIP port removed) after a delete. Providers that need no host (noop) are applied
// in-process; every other provider is served by agents: the load balancer's placements are scheduled on live
// agents, which pick the new revision up by long-poll, and the change completes when each serving placement
// reported that revision applied (or an error). Level-triggered: woken by the change feed (API commits and
// agent reports), and a periodic scan re-drives anything left pending, including after a crash or restart,
// so nothing stays PENDING_* forever.
import type { Logger } from 'pino';
import type { Agent } from '../model/agent.ts';
import type { LoadBalancer } from '../model/load-balancer.ts';
import type { ProviderDriver } from '../model/provider-driver.ts';
import { isPending } from '../model/statuses.ts';
import type { ChangeFeed } from '../store/change-feed.ts';
import type { Store } from '../store/database.ts';
import { listAgents } from '../store/repositories/agent-repository.ts';
import { completeChange } from '../store/repositories/completion-repository.ts';
import { loadDesiredState } from '../store/repositories/desired-state-repository.ts';
import {
  getLoadBalancerRow,
  getPendingTarget,
  listUnconverged,
} from '../store/repositories/load-balancer-repository.ts';
import { resolveLoadBalancerTls } from '../store/repositories/load-balancer-tls.ts';
import {
  ensurePlacements,
  listPlacements,
  type Placement,
} from '../store/repositories/placement-repository.ts';
import type { SecretReaders } from '../tls/secret-reader.ts';
import { timedPass } from './loop-metrics.ts';
import { judgePlacements } from './placement-verdict.ts';
import { schedulePlacements } from './scheduler.ts';
import { groupForVrrp } from './vrrp-grouping.ts';
import { switchVerdict, switchVrrpMaster } from './vrrp-switch.ts';

export type ProvisionerOptions = Readonly<{
  store: Store;
  changes: ChangeFeed;
  /** providers applied in this process; any other provider name is served by agents */
  drivers: ReadonlyMap<string, ProviderDriver>;
  logger: Logger;
  /** a provider that has not answered by then has failed (ms) */
  applyTimeoutMs?: number;
  /** backstop scan period (ms) */
  scanIntervalMs?: number;
  /** the secret store TLS refs resolve through when rendering (absent: no certificate material) */
  secrets?: SecretReaders;
}>;

export class Provisioner {
  readonly #options: ProvisionerOptions;
  /** per load balancer: the run in progress, and whether another change arrived meanwhile */
  readonly #running = new Map<string, { again: boolean; done: Promise<void> }>();
  #timer: NodeJS.Timeout | undefined;
  /** the scan in progress, so idle() also waits for work a scan is about to start */
  #scanning: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void) | undefined;

  constructor(options: ProvisionerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#unsubscribe = this.#options.changes.subscribe((id) => this.kick(id));
    this.#timer = setInterval(() => void this.scan(), this.#options.scanIntervalMs ?? 2000);
    this.#timer.unref();
    this.#scanning = this.scan();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    clearInterval(this.#timer);
    await Promise.allSettled([...this.#running.values()].map((r) => r.done));
  }

  /** Waits until every run in progress has finished (tests and shutdown use it). */
  async idle(): Promise<void> {
    await this.#scanning;
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()].map((r) => r.done));
  }

  async scan(): Promise<void> {
    try {
      for (const id of await listUnconverged(this.#options.store.db)) this.kick(id);
    } catch (error) {
      this.#options.logger.error({ err: error }, 'provisioner scan failed');
    }
  }

  kick(id: string): void {
    const running = this.#running.get(id);
    if (running) {
      running.again = true;
      return;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      do {
        entry.again = false;
        await timedPass('provisioner', () => this.#converge(id)).catch((error) =>
          this.#options.logger.error({ err: error, loadBalancer: id }, 'convergence failed'),
        );
      } while (entry.again);
      this.#running.delete(id);
    })();
    this.#running.set(id, entry);
  }

  async #converge(id: string): Promise<void> {
    const { db } = this.#options.store;
    const lb = await getLoadBalancerRow(db, id);
    if (!lb || !isPending(lb.provisioningStatus)) return;
    const driver = this.#options.drivers.get(lb.provider);
    if (!driver) return this.#convergeThroughAgents(lb);
    const deleting = lb.provisioningStatus === 'PENDING_DELETE';
    try {
      if (deleting) await this.#bounded(driver.remove(lb.id));
      else {
        const desired = await loadDesiredState(db, id, { secrets: this.#options.secrets });
        if (!desired || desired.revision !== lb.revision) return; // changed meanwhile: the next run applies it
        await this.#bounded(driver.apply(desired));
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#options.logger.warn({ loadBalancer: id, reason }, 'provider failed; the change goes ERROR');
      await completeChange(db, id, lb.revision, { ok: false, reason }, `provider ${lb.provider}`);
      return;
    }
    // Operating status is left as it is: only data-plane health reports change it (reference §11).
    await completeChange(db, id, lb.revision, { ok: true }, `provider ${lb.provider}`);
  }

  async #convergeThroughAgents(lb: LoadBalancer): Promise<void> {
    const { db } = this.#options.store;
    const deleting = lb.provisioningStatus === 'PENDING_DELETE';
    const agents = await listAgents(db);
    if (!deleting) await ensurePlacements(db, lb.id, lb.topology);
    let placements = await listPlacements(db, lb.id);
    const failover = !deleting && (await getPendingTarget(db, lb.id)) === 'failover';
    const clock = { now: Date.now(), timeoutMs: this.#options.applyTimeoutMs ?? 30_000 };
    // A grouped load balancer's failover switches MASTER and BACKUP in place (vrrp-switch.ts).
    const switching = failover
      ? await switchVrrpMaster(db, lb, placements, agents, this.#options.logger)
      : undefined;
    if (switching) {
      if (switching.changed) this.#options.changes.notify(lb.id);
      if (switching.refused !== undefined) {
        this.#options.logger.warn({ loadBalancer: lb.id, reason: switching.refused }, 'change failed');
        await completeChange(
          db,
          lb.id,
          lb.revision,
          { ok: false, reason: switching.refused },
          'the controller',
        );
        return;
      }
      if (!switching.moved) {
        const backup = (await listPlacements(db, lb.id)).find((p) => p.role === 'BACKUP');
        const verdict = switchVerdict(lb, backup?.agentId ?? null, clock);
        if (verdict === 'waiting') return;
        this.#options.logger.warn({ loadBalancer: lb.id, reason: verdict.reason }, 'change failed');
        await completeChange(db, lb.id, lb.revision, verdict, 'the controller');
        return;
      }
      placements = await listPlacements(db, lb.id);
    } else if (!deleting) {
      const scheduled = await schedulePlacements(db, lb, placements, agents, failover);
      if (scheduled) placements = await listPlacements(db, lb.id); // the new bindings
      // Grouped once both placements are bound, so both agents get the group in the same long-poll answer.
      const grouped = await groupForVrrp(db, lb, placements, agents, this.#options.logger);
      if (grouped) placements = await listPlacements(db, lb.id);
      if (scheduled || grouped) this.#options.changes.notify(lb.id);
    }
    // Agents get a listener whose certificates do not resolve without them (agent-protocol-routes.ts): the
    // change fails here with the reason (a deleted secret, an unreadable bundle) instead of a provider's 501.
    if (!deleting && this.#options.secrets) {
      const unresolved = await resolveLoadBalancerTls(db, lb.id, this.#options.secrets).then(
        () => undefined,
        (error: Error) => error.message,
      );
      if (unresolved !== undefined) {
        this.#options.logger.warn({ loadBalancer: lb.id, reason: unresolved }, 'change failed');
        await completeChange(db, lb.id, lb.revision, { ok: false, reason: unresolved }, 'the controller');
        return;
      }
    }
    const verdict = judgePlacements(lb, placements, agents, clock);
    if (verdict === 'waiting') return;
    if (!verdict.ok)
      this.#options.logger.warn({ loadBalancer: lb.id, reason: verdict.reason }, 'change failed');
    await completeChange(db, lb.id, lb.revision, verdict, appliers(placements, agents));
  }

  #bounded<T>(work: Promise<T>): Promise<T> {
    const ms = this.#options.applyTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`provider did not answer within ${ms / 1000} s`)), ms);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}

/** Who applies a load balancer's change, for its status events: `agent a` or `agents a, b`. */
export function appliers(placements: readonly Placement[], agents: readonly Agent[]): string {
  const names = agents.filter((a) => placements.some((p) => p.agentId === a.id)).map((a) => a.name);
  if (names.length === 0) return 'no agent';
  return `${names.length === 1 ? 'agent' : 'agents'} ${names.join(', ')}`;
}
