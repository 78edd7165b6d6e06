// The noop provider, like Octavia's noop driver: accepts every change and touches no data plane, so the
// API can be exercised alone. It remembers what it was asked to serve, which tests use to see the flow.
import type { DesiredLoadBalancer } from '../../model/desired-state.ts';
import { TOPOLOGY_CAPABILITY } from '../../model/provider-capabilities.ts';
import type { ProviderDriver, ProviderInfo } from '../../model/provider-driver.ts';

export class NoopProvider implements ProviderDriver {
  readonly info: ProviderInfo = {
    name: 'noop',
    description: 'The no-op driver which touches no data plane.',
    // It lists the amphora driver's keys it knows (reference §10.2) and, like Octavia's noop driver, takes
    // any JSON object as flavor or availability zone metadata (loadbalancer_topology still applies).
    acceptsAnyMetadata: true,
    flavorCapabilities: [TOPOLOGY_CAPABILITY],
    availabilityZoneCapabilities: [
      { name: 'compute_zone', description: 'The compute availability zone.', type: 'string' },
      {
        name: 'management_network',
        description: 'The management network ID for the amphora.',
        type: 'string',
      },
      {
        name: 'valid_vip_networks',
        description:
          'List of network IDs that are allowed for VIP use. This overrides/replaces the list of ' +
          'allowed networks configured in `octavia.conf`.',
        type: 'array',
      },
    ],
  };
  readonly applied = new Map<string, DesiredLoadBalancer>();

  async apply(desired: DesiredLoadBalancer): Promise<void> {
    this.applied.set(desired.id, desired);
  }

  async remove(loadBalancerId: string): Promise<void> {
    this.applied.delete(loadBalancerId);
  }
}
