// The agent's reconcile loop body (architecture §1): given the full desired set, make the data planes serve
// exactly that. Level-triggered and idempotent: a load balancer already serving a revision is left alone, a
// revision that failed is not retried until a newer one comes (or the agent restarts), anything served but no
// longer assigned is removed, and removals asked for are done (idempotently) and reported once. A load
// balancer in a VRRP group (`vrrp`) is served the same way, but keepalived holds its VIPs, not the plumbing.
// A link that goes down fences its interface (the plumbing withdraws the VIPs there); once it is back, the next
// set (asked for after its return: agent-runner.ts refresh) lifts the fence and plumbs again the withdrawn
// VIPs of load balancers still assigned.
import type { Logger } from 'pino';
import type { ApplyResult, Assignment } from '../model/agent-protocol.ts';
import type { AccessLogBatch, ProviderDriver, ProviderReport } from '../model/provider-driver.ts';
import type { VrrpState } from '../model/vrrp.ts';
import { eachBounded } from './each-bounded.ts';
import type { VipPlumbing } from './vip-plumbing.ts';

/** The host's keepalived as the reconciler drives it (keepalived-manager.ts). */
export type VrrpKeeper = Readonly<{
  /** holds the groups of the grouped assignments; resolves with the grouped load balancers it could not hold */
  sync(assignments: readonly Assignment[]): Promise<ReadonlyMap<string, string>>;
  states(): Record<string, VrrpState>;
  stop(): Promise<void>;
}>;

type Held = { provider: string; revision: number; ok: boolean; grouped: boolean };

/** Load balancers applied at once by one converge: enough that a slow reload does not hold the others. */
export const CONCURRENT_APPLIES = 8;

export class Reconciler {
  readonly #drivers: ReadonlyMap<string, ProviderDriver>;
  readonly #plumbing: VipPlumbing;
  readonly #logger: Logger;
  /** what this process applied (or failed to apply), per load balancer */
  readonly #held = new Map<string, Held>();
  /** which load balancer the next drainLogs starts with (turns round them) */
  #logTurn = 0;
  /** removals already reported, so an unchanged set does not report them again */
  readonly #removed = new Set<string>();
  readonly #keeper: VrrpKeeper | null;
  /** per grouped load balancer: the keepalived error last reported for it (absent: none) */
  readonly #vrrpErrors = new Map<string, string>();
  /** fenced interfaces whose link is back: their fence is lifted by the next converge */
  readonly #returned = new Set<string>();

  constructor(
    drivers: ReadonlyMap<string, ProviderDriver>,
    plumbing: VipPlumbing,
    logger: Logger,
    keeper: VrrpKeeper | null = null,
  ) {
    this.#drivers = drivers;
    this.#plumbing = plumbing;
    this.#logger = logger;
    this.#keeper = keeper;
  }

  /** The link of an interface went down: the VIPs plumbed there are withdrawn until it is back and confirmed. */
  linkDown(iface: string): Promise<void> {
    this.#returned.delete(iface);
    return this.#plumbing.fence(iface);
  }

  /**
   * The link of an interface is back. Its VIPs stay withdrawn until the next converge, which must be given a
   * set asked for from now on (the runner drops answers to requests made before: AgentRunner.refresh).
   */
  linkUp(iface: string): void {
    this.#returned.add(iface);
  }

  async converge(assignments: readonly Assignment[], removals: readonly string[]): Promise<ApplyResult[]> {
    // Before anything awaits: a link that returns while this converge runs stays fenced for the next one.
    for (const iface of this.#returned) this.#plumbing.unfence(iface);
    this.#returned.clear();
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
    /**
     * load balancers that left their VRRP group (their VIPs are plumbed again once keepalived let go), and
     * unchanged ones whose VIPs were withdrawn
     */
    const replumb: Assignment[] = [];
    const changed: Assignment[] = [];
    for (const assignment of assignments) {
      const { desired } = assignment;
      const grouped = assignment.vrrp !== undefined;
      const held = this.#held.get(desired.id);
      if (held && held.provider === assignment.provider && held.revision === desired.revision) {
        // `vrrp` can come or go without a new revision (the controller grouped or ungrouped it).
        if (held.grouped && !grouped) replumb.push(assignment);
        else if (!held.grouped && grouped) await this.#plumbing.release(desired.id);
        // VIPs withdrawn while its link was down: this set still assigns it here, so they come back (and are
        // announced) though its revision did not change.
        else if (!grouped && held.ok && this.#plumbing.isWithdrawn(desired.id)) replumb.push(assignment);
        held.grouped = grouped;
      } else changed.push(assignment);
    }
    // Each load balancer applies in order with itself (one revision per converge; the providers queue per id),
    // and independently of the others, a few at a time.
    await eachBounded(changed, CONCURRENT_APPLIES, async (assignment) => {
      const { provider, desired } = assignment;
      const grouped = assignment.vrrp !== undefined;
      const held = this.#held.get(desired.id);
      if (held && held.provider !== provider) await this.#remove(desired.id, held.provider);
      if (held?.grouped && !grouped) replumb.push(assignment);
      const error = await this.#apply(provider, desired, grouped);
      this.#held.set(desired.id, { provider, revision: desired.revision, ok: error === null, grouped });
      results.push({ loadBalancerId: desired.id, revision: desired.revision, error });
    });
    if (this.#keeper) await this.#syncKeepalived(assignments, results);
    for (const { desired } of replumb) {
      const error = await this.#plumbing.ensure(desired).then(
        () => null,
        (failure: Error) => failure.message,
      );
      if (error !== null) this.#setResult(results, desired.id, error);
    }
    return results;
  }

  /**
   * Applies the grouped load balancers to keepalived. One it cannot hold carries the reason in its result (it
   * goes ERROR), and carries null again once it can; a load balancer whose data plane failed keeps that error.
   */
  async #syncKeepalived(assignments: readonly Assignment[], results: ApplyResult[]): Promise<void> {
    const failed = await this.#keeper!.sync(assignments);
    for (const { desired, vrrp } of assignments) {
      const id = desired.id;
      const before = this.#vrrpErrors.get(id) ?? null;
      const error = vrrp ? (failed.get(id) ?? null) : null;
      if (error === null) this.#vrrpErrors.delete(id);
      else this.#vrrpErrors.set(id, error);
      const held = this.#held.get(id);
      if (!held?.ok) continue;
      const fresh = results.some((r) => r.loadBalancerId === id && r.revision !== undefined);
      if (error !== null && (fresh || error !== before)) this.#setResult(results, id, error);
      else if (error === null && before !== null && !fresh)
        results.push({ loadBalancerId: id, revision: held.revision, error: null });
    }
    for (const id of this.#vrrpErrors.keys()) if (!this.#held.has(id)) this.#vrrpErrors.delete(id);
  }

  /** Puts `error` in the load balancer's result of this converge, adding one for its held revision if none. */
  #setResult(results: ApplyResult[], id: string, error: string): void {
    const index = results.findIndex((r) => r.loadBalancerId === id && r.revision !== undefined);
    const revision = this.#held.get(id)?.revision;
    if (index >= 0) results[index] = { ...results[index], error };
    else if (revision !== undefined) results.push({ loadBalancerId: id, revision, error });
  }

  /** Per grouped load balancer, the state keepalived last recorded for its group; undefined without keepalived. */
  vrrpStates(): Record<string, VrrpState> | undefined {
    return this.#keeper?.states();
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

  /**
   * Takes access log lines from the data planes: up to `perLoadBalancer` of each served load balancer's, and
   * `total` in all; what is left waits in the data planes (bounded there).
   */
  drainLogs(total: number, perLoadBalancer: number): Map<string, AccessLogBatch> {
    const taken = new Map<string, AccessLogBatch>();
    let room = total;
    // Each take starts one load balancer further, so busy ones early in the map do not starve the rest.
    const ids = [...this.#held.keys()];
    const first = ids.length > 0 ? this.#logTurn++ % ids.length : 0;
    for (let i = 0; i < ids.length && room > 0; i++) {
      const id = ids[(first + i) % ids.length] as string;
      const held = this.#held.get(id);
      if (!held) continue;
      const batch = this.#drivers.get(held.provider)?.drainLogs?.(id, Math.min(room, perLoadBalancer));
      if (!batch || (batch.lines.length === 0 && batch.dropped === 0)) continue;
      room -= batch.lines.length;
      taken.set(id, batch);
    }
    return taken;
  }

  /**
   * Stops keepalived first (the peer takes the VIPs at once: keepalived sends a priority 0 advert when it
   * stops, RFC 5798 §6.4.3), then every data plane (in parallel: one draining its clients must not keep
   * another running).
   */
  async close(): Promise<void> {
    await this.#keeper
      ?.stop()
      .catch((error: Error) => this.#logger.warn({ err: error }, 'keepalived stop failed'));
    await Promise.allSettled([...this.#drivers.values()].map((driver) => driver.close?.()));
    for (const [id] of this.#held) await this.#plumbing.release(id);
  }

  async #apply(provider: string, desired: Assignment['desired'], grouped: boolean): Promise<string | null> {
    const driver = this.#drivers.get(provider);
    if (!driver) return `provider '${provider}' is not available on this agent`;
    try {
      // keepalived holds a grouped load balancer's VIPs; the listeners bind them before they are local
      // (ip_nonlocal_bind). Addresses the plumbing added for an earlier, ungrouped revision go.
      if (grouped) await this.#plumbing.release(desired.id);
      else await this.#plumbing.ensure(desired);
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
