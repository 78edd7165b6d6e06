// Wire mapping for availability zones (reference §10.4): keyed by name, no id, timestamps or tags; a NULL
// description renders as "".
import type { AvailabilityZone } from '../../../model/availability-zone.ts';
import type { FilterField, WireObject } from '../../wire/listing.ts';
import { sameNames } from '../filter-fields.ts';

export const availabilityZoneToWire = (zone: AvailabilityZone): WireObject => ({
  name: zone.name,
  description: zone.description ?? '',
  enabled: zone.enabled,
  availability_zone_profile_id: zone.availabilityZoneProfileId,
});

/** Attributes a list may filter or sort on. */
export const AVAILABILITY_ZONE_ATTRIBUTES = [
  'name',
  'description',
  'enabled',
  'availability_zone_profile_id',
] as const;

/** Filter keys of the list: the data model's fields under their API and database names (reference §1.4). */
export const AVAILABILITY_ZONE_FILTERS: Readonly<Record<string, FilterField>> = sameNames(
  AVAILABILITY_ZONE_ATTRIBUTES,
);
