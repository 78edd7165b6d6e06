// The `amphora` and `octavia` provider aliases (docs/providers.md): Octavia's default driver names, which
// clients hard-code, offered as names of a provider the operator chooses, with the amphora driver's flavor
// and availability zone metadata keys (Octavia's octavia/api/drivers/amphora_driver/flavor_schema.py and
// availability_zone_schema.py, same names, types, enums and descriptions).
import { type ProviderCapability, TOPOLOGY_CAPABILITY } from './provider-capabilities.ts';
import type { ProviderInfo } from './provider-driver.ts';

/** Octavia's default provider, and the alias its setup.cfg registers for the same driver. */
export const PROVIDER_ALIASES = ['amphora', 'octavia'] as const;

/** How each description starts; one short sentence without commas, like Octavia's own (its setup.cfg). */
const ALIAS_OF: Readonly<Record<(typeof PROVIDER_ALIASES)[number], string>> = {
  amphora: 'The Octavia Amphora driver name',
  octavia: 'Alias of the Octavia Amphora driver name',
};

/** The amphora flavor keys: the topology applies; the others name Nova, Glance and SR-IOV, which Sluice has not. */
export const AMPHORA_FLAVOR_CAPABILITIES: readonly ProviderCapability[] = [
  TOPOLOGY_CAPABILITY,
  { name: 'compute_flavor', description: 'The compute driver flavor ID.', type: 'string', ignored: true },
  { name: 'amp_image_tag', description: 'The amphora image tag.', type: 'string', ignored: true },
  {
    name: 'sriov_vip',
    description: 'When true, the VIP port will be created using an SR-IOV VF port.',
    type: 'boolean',
    ignored: true,
  },
  {
    name: 'allow_member_sriov',
    description: 'When true, users can request a member port be SR-IOV enabled at member creation time.',
    type: 'boolean',
    ignored: true,
  },
];

/** The amphora availability zone keys: Sluice places by the zone's name, so none of them applies. */
export const AMPHORA_AVAILABILITY_ZONE_CAPABILITIES: readonly ProviderCapability[] = [
  { name: 'compute_zone', description: 'The compute availability zone.', type: 'string', ignored: true },
  { name: 'volume_zone', description: 'The volume availability zone.', type: 'string', ignored: true },
  {
    name: 'management_network',
    description: 'The management network ID for the amphora.',
    type: 'string',
    ignored: true,
  },
  {
    name: 'valid_vip_networks',
    description:
      'List of network IDs that are allowed for VIP use. This overrides/replaces the list of ' +
      'allowed networks configured in `octavia.conf`.',
    type: 'array',
    ignored: true,
  },
];

/**
 * The alias entries for `target` (the provider the operator maps them to). Each takes the target's
 * support check, since the target serves its load balancers, and the amphora metadata keys.
 */
export function providerAliases(target: ProviderInfo): ProviderInfo[] {
  return PROVIDER_ALIASES.map((name) => ({
    name,
    description: `${ALIAS_OF[name]} served by the ${target.name} provider.`,
    servedBy: target.name,
    ...(target.unsupportedOptions && { unsupportedOptions: target.unsupportedOptions }),
    flavorCapabilities: AMPHORA_FLAVOR_CAPABILITIES,
    availabilityZoneCapabilities: AMPHORA_AVAILABILITY_ZONE_CAPABILITIES,
  }));
}
