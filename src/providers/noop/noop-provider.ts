// The noop provider, like Octavia's noop driver: accepts every change and touches no data plane, so the
// API can be exercised alone. It remembers what it was asked to serve, which tests use to see the flow.
import type { DesiredLoadBalancer } from '../../model/desired-state.js';
import type { ProviderDriver } from '../../model/provider-driver.js';

export class NoopProvider implements ProviderDriver {
  readonly info = {
    name: 'noop',
    description: 'Accepts every change and touches no data plane (API testing).',
  };
  readonly applied = new Map<string, DesiredLoadBalancer>();

  async apply(desired: DesiredLoadBalancer): Promise<void> {
    this.applied.set(desired.id, desired);
  }

  async remove(loadBalancerId: string): Promise<void> {
    this.applied.delete(loadBalancerId);
  }
}
