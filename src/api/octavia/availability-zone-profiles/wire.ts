// Wire mapping for availability zone profiles (reference §10.4): no project, timestamps or tags;
// availability_zone_data is the JSON text as submitted.
import type { AvailabilityZoneProfile } from '../../../model/availability-zone.ts';
import type { FilterField, WireObject } from '../../wire/listing.ts';
import { sameNames } from '../filter-fields.ts';

export const availabilityZoneProfileToWire = (profile: AvailabilityZoneProfile): WireObject => ({
  id: profile.id,
  name: profile.name,
  provider_name: profile.providerName,
  availability_zone_data: profile.availabilityZoneData,
});

/** Attributes a list may filter or sort on. */
export const AVAILABILITY_ZONE_PROFILE_ATTRIBUTES = [
  'id',
  'name',
  'provider_name',
  'availability_zone_data',
] as const;

/** Filter keys of the list: the data model's fields under their API and database names (reference §1.4). */
export const AVAILABILITY_ZONE_PROFILE_FILTERS: Readonly<Record<string, FilterField>> = sameNames(
  AVAILABILITY_ZONE_PROFILE_ATTRIBUTES,
);
