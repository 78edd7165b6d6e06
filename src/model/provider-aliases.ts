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

/** A key accepted for compatibility that has no effect in Sluice (docs/providers.md). */
const ignored = (
  name: string,
  type: ProviderCapability['type'],
  description: string,
): ProviderCapability => ({
  name,
  description,
  type,
  ignored: true,
});

/** The amphora flavor keys: the topology applies; the others name Nova, Glance and SR-IOV, which Sluice has not. */
export const AMPHORA_FLAVOR_CAPABILITIES: readonly ProviderCapability[] = [
  TOPOLOGY_CAPABILITY,
  ignored('compute_flavor', 'string', 'The compute driver flavor ID.'),
  ignored('amp_image_tag', 'string', 'The amphora image tag.'),
  {
    ...ignored('sriov_vip', 'boolean', 'When true, the VIP port will be created using an SR-IOV VF port.'),
    // Octavia would make the VIP a `direct` vNIC (API v2.28 vip_vnic_type); Sluice's VIP is always `normal`.
    unsupported: { value: true, reason: 'Sluice has no SR-IOV, a VIP port is always a normal vNIC.' },
  },
  {
    ...ignored(
      'allow_member_sriov',
      'boolean',
      'When true, users can request a member port be SR-IOV enabled at member creation time.',
    ),
    // Octavia would let members ask for a `direct` vNIC (API v2.30); Sluice's members are always `normal`.
    unsupported: { value: true, reason: 'Sluice has no SR-IOV, a member port is always a normal vNIC.' },
  },
];

/** The amphora availability zone keys: Sluice places by the zone's name, so none of them applies. */
export const AMPHORA_AVAILABILITY_ZONE_CAPABILITIES: readonly ProviderCapability[] = [
  ignored('compute_zone', 'string', 'The compute availability zone.'),
  ignored('volume_zone', 'string', 'The volume availability zone.'),
  ignored('management_network', 'string', 'The management network ID for the amphora.'),
  ignored(
    'valid_vip_networks',
    'array',
    'List of network IDs that are allowed for VIP use. This overrides/replaces the list of ' +
      'allowed networks configured in `octavia.conf`.',
  ),
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
