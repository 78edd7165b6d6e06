// The noop provider, like Octavia's noop driver: accepts every change and touches no data plane, so the
// API can be exercised alone. It remembers what it was asked to serve, which tests use to see the flow.
import type { DesiredLoadBalancer } from '../../model/desired-state.ts';
import { TOPOLOGY_CAPABILITY } from '../../model/provider-capabilities.ts';
import type { ProviderDriver, ProviderInfo } from '../../model/provider-driver.ts';

export class NoopProvider implements ProviderDriver {
  readonly info: ProviderInfo = {
    name: 'noop',
    description: 'Accepts every change and touches no data plane (API testing).',
    // The amphora driver's flavor and availability zone metadata (reference §10.2), so profiles made for
    // the noop provider validate the way they would for the real one.
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
