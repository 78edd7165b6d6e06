// Wire mapping for flavor profiles (reference §10.3): no project, timestamps or tags; flavor_data is the
// JSON text as submitted.
import type { FlavorProfile } from '../../../model/flavor.ts';
import type { FilterField, WireObject } from '../../wire/listing.ts';
import { sameNames } from '../filter-fields.ts';

export const flavorProfileToWire = (profile: FlavorProfile): WireObject => ({
  id: profile.id,
  name: profile.name,
  provider_name: profile.providerName,
  flavor_data: profile.flavorData,
});

/** Attributes a list may filter or sort on. */
export const FLAVOR_PROFILE_ATTRIBUTES = ['id', 'name', 'provider_name', 'flavor_data'] as const;

/** Filter keys of the list: the data model's fields under their API and database names (reference §1.4). */
export const FLAVOR_PROFILE_FILTERS: Readonly<Record<string, FilterField>> =
  sameNames(FLAVOR_PROFILE_ATTRIBUTES);
