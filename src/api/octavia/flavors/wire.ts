// Wire mapping for flavors (reference §10.3): no timestamps or tags; a NULL description renders as "".
import type { Flavor } from '../../../model/flavor.ts';
import type { WireObject } from '../../wire/listing.ts';

export const flavorToWire = (flavor: Flavor): WireObject => ({
  id: flavor.id,
  name: flavor.name,
  description: flavor.description ?? '',
  enabled: flavor.enabled,
  flavor_profile_id: flavor.flavorProfileId,
});

/** Attributes a list may filter or sort on. */
export const FLAVOR_ATTRIBUTES = ['id', 'name', 'description', 'enabled', 'flavor_profile_id'] as const;
