// The data plane of one load balancer: turns each DesiredLoadBalancer revision into listener bindings and
// pool runtimes. Applying is hitless: unchanged bindings get the new configuration by reference swap,
// only moved listeners re-bind, removed ones drain; pool state (stickiness, session counts) carries over.
import type { DesiredListener, DesiredLoadBalancer, DesiredPool } from '../../model/desired-state.ts';
import type { AccessLogBatch, ProviderReport } from '../../model/provider-driver.ts';
import { newPoolState, PoolRuntime, type PoolState, poolStateSignature } from './balancing/pool-runtime.ts';
import { buildReport } from './engine-report.ts';
import { bindAddresses, bindingKey, type ListenerBinding } from './listener-binding.ts';
import { compileListener } from './listener-config.ts';
import { ListenerStats } from './listener-stats.ts';
import { AccessLogEntries } from './logs/access-log-entries.ts';
import { MemberConnections } from './members/member-connections.ts';
import { type HealthFactory, type HealthTracker, uncheckedHealth } from './members/member-health-view.ts';
import { MetricsBinding } from './metrics/metrics-binding.ts';
import { StreamBinding } from './tcp/stream-binding.ts';
import { UdpBinding } from './udp/udp-binding.ts';

export class LoadBalancerEngine {
  /** the revision served; -1 before the first apply and after a failed one (so a retry re-applies) */
  revision = -1;
  readonly #healthFactory: HealthFactory;
  #health: HealthTracker | undefined;
  readonly #bindings = new Map<string, ListenerBinding>();
  readonly #draining = new Set<ListenerBinding>();
  readonly #stats = new Map<string, ListenerStats>();
  readonly #poolStates = new Map<string, PoolState>();
  #pools = new Map<string, PoolRuntime>();
  readonly #connections = new MemberConnections();
  /** the access log lines of every listener, until the agent ships them; undefined when not logging */
  readonly #accessLog: AccessLogEntries | undefined;

  constructor(healthFactory: HealthFactory, options: Readonly<{ connectionLogging?: boolean }> = {}) {
    this.#healthFactory = healthFactory;
    this.#accessLog = options.connectionLogging === false ? undefined : new AccessLogEntries();
  }

  async apply(desired: DesiredLoadBalancer): Promise<void> {
    if (desired.revision === this.revision) return;
    this.revision = -1;
    // LB or listener admin down: not rendered at all (reference §12.1 last bullet).
    const listeners = desired.adminStateUp ? desired.listeners.filter((l) => l.adminStateUp) : [];
    const pools = servedPools(listeners, desired.pools);
    if (this.#health) this.#health.update(pools);
    else this.#health = this.#healthFactory(pools);
    const health = this.#health;
    const runtimes = new Map<string, PoolRuntime>();
    for (const pool of pools) {
      let state = this.#poolStates.get(pool.id);
      if (!state || state.signature !== poolStateSignature(pool)) state = newPoolState(pool, state);
      this.#poolStates.set(pool.id, state);
      runtimes.set(pool.id, new PoolRuntime(pool, state, health));
    }
    for (const id of this.#poolStates.keys()) if (!runtimes.has(id)) this.#poolStates.delete(id);
    const addresses = bindAddresses(desired.vip);
    const wanted = new Map(
      listeners.map((l) => [l.id, { listener: l, key: bindingKey(l.protocol, addresses, l.protocolPort) }]),
    );
    // Retire first what moves or goes, so a port handed from one listener to another can be bound.
    for (const [id, binding] of this.#bindings) {
      if (wanted.get(id)?.key === binding.key) continue;
      this.#bindings.delete(id);
      this.#drain(binding, portReused(binding.key, wanted));
    }
    for (const id of this.#stats.keys()) if (!wanted.has(id)) this.#stats.delete(id);
    for (const { listener, key } of wanted.values()) {
      const existing = this.#bindings.get(listener.id);
      const config = compileListener(listener, runtimes, existing?.current);
      if (existing) {
        existing.update(config);
        continue;
      }
      const stats = this.#stats.get(listener.id) ?? new ListenerStats();
      this.#stats.set(listener.id, stats);
      this.#bindings.set(listener.id, await this.#open(listener, key, addresses, config, stats));
    }
    this.#pools = runtimes;
    this.#connections.retain(
      new Set(pools.flatMap((p) => p.members.map((m) => `${m.address}|${m.protocolPort}`))),
    );
    this.revision = desired.revision;
  }

  #open(
    listener: DesiredListener,
    key: string,
    addresses: readonly string[],
    config: ReturnType<typeof compileListener>,
    stats: ListenerStats,
  ): Promise<ListenerBinding> {
    if (listener.protocol === 'UDP') return UdpBinding.open(key, addresses, config, stats);
    if (listener.protocol === 'PROMETHEUS')
      return MetricsBinding.open(key, addresses, config, stats, () => this.report());
    return StreamBinding.open(key, addresses, config, stats, this.#connections, this.#accessLog);
  }

  /** Stops accepting; open connections may finish unless the port is needed again right away (UDP). */
  #drain(binding: ListenerBinding, now: boolean): void {
    if (now && binding.key.startsWith('udp')) {
      binding.destroy();
      return;
    }
    this.#draining.add(binding);
    void binding.retire().then(() => this.#draining.delete(binding));
  }

  report(): ProviderReport {
    return buildReport(this.#bindings, this.#pools, this.#health ?? uncheckedHealth([]));
  }

  /** Takes up to `max` access log lines (oldest first) and the count the ring dropped since the last take. */
  drainLogs(max: number): AccessLogBatch | undefined {
    return this.#accessLog?.drain(max);
  }

  async close(): Promise<void> {
    for (const binding of [...this.#bindings.values(), ...this.#draining]) binding.destroy();
    this.#bindings.clear();
    this.#draining.clear();
    this.#connections.close();
    await this.#health?.close();
    this.revision = -1;
  }
}

/** Enabled pools a served listener reaches, by default pool or an enabled REDIRECT_TO_POOL policy. */
function servedPools(listeners: readonly DesiredListener[], pools: readonly DesiredPool[]): DesiredPool[] {
  const used = new Set<string>();
  for (const listener of listeners) {
    if (listener.defaultPoolId) used.add(listener.defaultPoolId);
    for (const policy of listener.l7policies) {
      if (policy.adminStateUp && policy.redirectPoolId) used.add(policy.redirectPoolId);
    }
  }
  return pools.filter((p) => p.adminStateUp && used.has(p.id));
}

/** Whether a wanted binding reuses the port (same mode) of `key`: UDP sockets must then go at once. */
function portReused(key: string, wanted: ReadonlyMap<string, { key: string }>): boolean {
  const [mode, , port] = key.split(' ');
  return [...wanted.values()].some((w) => {
    const [m, , p] = w.key.split(' ');
    return (m === 'udp') === (mode === 'udp') && p === port;
  });
}
