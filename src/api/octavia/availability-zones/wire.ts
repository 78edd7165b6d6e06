// Wire mapping for availability zones (reference §10.4): keyed by name, no id, timestamps or tags; a NULL
// description renders as "".
import type { AvailabilityZone } from '../../../model/availability-zone.ts';
import type { WireObject } from '../../wire/listing.ts';

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
