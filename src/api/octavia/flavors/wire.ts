// Wire mapping for flavors (reference §10.3): no timestamps or tags; a NULL description renders as "".
import type { Flavor } from '../../../model/flavor.ts';
import type { FilterField, WireObject } from '../../wire/listing.ts';
import { sameNames } from '../filter-fields.ts';

export const flavorToWire = (flavor: Flavor): WireObject => ({
  id: flavor.id,
  name: flavor.name,
  description: flavor.description ?? '',
  enabled: flavor.enabled,
  flavor_profile_id: flavor.flavorProfileId,
});

/** Attributes a list may filter or sort on. */
export const FLAVOR_ATTRIBUTES = ['id', 'name', 'description', 'enabled', 'flavor_profile_id'] as const;

/** Filter keys of the list: the data model's fields under their API and database names (reference §1.4). */
export const FLAVOR_FILTERS: Readonly<Record<string, FilterField>> = sameNames(FLAVOR_ATTRIBUTES);
