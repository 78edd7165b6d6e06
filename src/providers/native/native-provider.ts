// The `native` provider: Sluice's own data plane, one in-process LoadBalancerEngine per load balancer.
// Applies to one load balancer run one at a time (a later revision waits for the earlier one); an option
// the engine cannot serve is refused up front with the API's 501 words (reference §4.2).

import { fail } from '../../errors.ts';
import type { DesiredLoadBalancer } from '../../model/desired-state.ts';
import { TOPOLOGY_CAPABILITY } from '../../model/provider-capabilities.ts';
import type {
  AccessLogBatch,
  ProviderDriver,
  ProviderInfo,
  ProviderReport,
} from '../../model/provider-driver.ts';
import { SerialQueue } from '../serial-queue.ts';
import { LoadBalancerEngine } from './lb-engine.ts';
import { type HealthFactory, uncheckedHealth } from './members/member-health-view.ts';
import { unresolvedTls, unsupportedOptions } from './unsupported-options.ts';

export type NativeProviderOptions = Readonly<{
  healthFactory?: HealthFactory;
  /**
   * Access log lines per request and connection (default true); false as Octavia's `[haproxy_amphora]
   * connection_logging = False` (https://docs.openstack.org/octavia/latest/admin/log-offloading.html).
   */
  connectionLogging?: boolean;
}>;

/** What the API needs to know about the provider, without running it (the API process runs no data plane). */
export const nativeProviderInfo: ProviderInfo = {
  name: 'native',
  description: "Sluice's own data plane running in Node.",
  unsupportedOptions,
  // ACTIVE_STANDBY places a MASTER and a BACKUP on two agents when there are two (reference §10.2); the
  // standby takes over when the master's agent stops sending heartbeats.
  flavorCapabilities: [TOPOLOGY_CAPABILITY],
};

export class NativeProvider implements ProviderDriver {
  readonly info: ProviderInfo = nativeProviderInfo;
  readonly #healthFactory: HealthFactory;
  readonly #connectionLogging: boolean;
  readonly #engines = new Map<string, LoadBalancerEngine>();
  /** one apply or remove at a time per load balancer */
  readonly #queue = new SerialQueue();

  constructor(options: NativeProviderOptions = {}) {
    this.#healthFactory = options.healthFactory ?? uncheckedHealth;
    this.#connectionLogging = options.connectionLogging ?? true;
  }

  apply(desired: DesiredLoadBalancer): Promise<void> {
    return this.#queue.run(desired.id, async () => {
      const unsupported = [...unsupportedOptions(desired), ...unresolvedTls(desired)];
      if (unsupported.length > 0) {
        throw fail('octavia.provider-unsupported', { provider: 'native', message: unsupported.join(', ') });
      }
      let engine = this.#engines.get(desired.id);
      if (!engine) {
        engine = new LoadBalancerEngine(this.#healthFactory, { connectionLogging: this.#connectionLogging });
        this.#engines.set(desired.id, engine);
      }
      await engine.apply(desired);
    });
  }

  remove(loadBalancerId: string): Promise<void> {
    return this.#queue.run(loadBalancerId, async () => {
      const engine = this.#engines.get(loadBalancerId);
      this.#engines.delete(loadBalancerId);
      await engine?.close();
    });
  }

  report(loadBalancerId: string): ProviderReport | undefined {
    return this.#engines.get(loadBalancerId)?.report();
  }

  drainLogs(loadBalancerId: string, max: number): AccessLogBatch | undefined {
    return this.#engines.get(loadBalancerId)?.drainLogs(max);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#engines.keys()].map((id) => this.remove(id)));
  }
}
