// The agent's reconcile loop body (architecture §1): given the full desired set, make the data planes serve
// exactly that. Level-triggered and idempotent: a load balancer already serving a revision is left alone, a
// revision that failed is not retried until a newer one comes (or the agent restarts), anything served but no
// longer assigned is removed, and removals asked for are done (idempotently) and reported once.
import type { Logger } from 'pino';
import type { ApplyResult, Assignment } from '../model/agent-protocol.ts';
import type { ProviderDriver, ProviderReport } from '../model/provider-driver.ts';
import type { VipPlumbing } from './vip-plumbing.ts';

type Held = { provider: string; revision: number; ok: boolean };

export class Reconciler {
  readonly #drivers: ReadonlyMap<string, ProviderDriver>;
  readonly #plumbing: VipPlumbing;
  readonly #logger: Logger;
  /** what this process applied (or failed to apply), per load balancer */
  readonly #held = new Map<string, Held>();
  /** removals already reported, so an unchanged set does not report them again */
  readonly #removed = new Set<string>();

  constructor(drivers: ReadonlyMap<string, ProviderDriver>, plumbing: VipPlumbing, logger: Logger) {
    this.#drivers = drivers;
    this.#plumbing = plumbing;
    this.#logger = logger;
  }

  async converge(assignments: readonly Assignment[], removals: readonly string[]): Promise<ApplyResult[]> {
    const results: ApplyResult[] = [];
    const assigned = new Set(assignments.map((a) => a.desired.id));
    for (const [id, held] of this.#held) {
      if (!assigned.has(id)) {
        await this.#remove(id, held.provider);
        if (!removals.includes(id)) results.push({ loadBalancerId: id, removed: true, error: null });
      }
    }
    for (const id of removals) {
      if (this.#removed.has(id)) continue;
      for (const provider of this.#drivers.keys()) await this.#remove(id, provider);
      this.#removed.add(id);
      results.push({ loadBalancerId: id, removed: true, error: null });
    }
    for (const id of this.#removed) if (!removals.includes(id)) this.#removed.delete(id);
    for (const { provider, desired } of assignments) {
      const held = this.#held.get(desired.id);
      if (held && held.provider === provider && held.revision === desired.revision) continue;
      if (held && held.provider !== provider) await this.#remove(desired.id, held.provider);
      const error = await this.#apply(provider, desired);
      this.#held.set(desired.id, { provider, revision: desired.revision, ok: error === null });
      results.push({ loadBalancerId: desired.id, revision: desired.revision, error });
    }
    return results;
  }

  /** What each data plane sees now, for the load balancers applied successfully. */
  observe(): Record<string, ProviderReport> {
    const observed: Record<string, ProviderReport> = {};
    for (const [id, held] of this.#held) {
      const report = held.ok ? this.#drivers.get(held.provider)?.report?.(id) : undefined;
      if (report) observed[id] = report;
    }
    return observed;
  }

  /** Stops every data plane (in parallel: one draining its clients must not keep another running). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#drivers.values()].map((driver) => driver.close?.()));
    for (const [id] of this.#held) await this.#plumbing.release(id);
  }

  async #apply(provider: string, desired: Assignment['desired']): Promise<string | null> {
    const driver = this.#drivers.get(provider);
    if (!driver) return `provider '${provider}' is not available on this agent`;
    try {
      await this.#plumbing.ensure(desired);
      await driver.apply(desired);
      this.#logger.info({ loadBalancer: desired.id, revision: desired.revision, provider }, 'applied');
      return null;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#logger.warn({ loadBalancer: desired.id, revision: desired.revision, reason }, 'apply failed');
      return reason;
    }
  }

  async #remove(id: string, provider: string): Promise<void> {
    try {
      await this.#drivers.get(provider)?.remove(id);
    } catch (error) {
      this.#logger.warn({ loadBalancer: id, err: error }, 'remove failed');
    }
    await this.#plumbing.release(id);
    this.#held.delete(id);
  }
}
