// Request bodies for availability zone profiles, as Octavia's WSME types AvailabilityZoneProfilePOST/PUT
// declare them (reference §10.4): availability_zone_data is JSON text the provider validates.
import { field, type ObjectFields, required, t } from '../../wire/field-types.ts';

export const AVAILABILITY_ZONE_PROFILE_POST: ObjectFields = {
  name: required(t.string(255)),
  provider_name: required(t.string(255)),
  availability_zone_data: required(t.string(4096)),
};

export const AVAILABILITY_ZONE_PROFILE_PUT: ObjectFields = {
  name: field(t.string(255)),
  provider_name: field(t.string(255)),
  availability_zone_data: field(t.string(4096)),
};

export const AVAILABILITY_ZONE_PROFILE_POST_ENVELOPE: ObjectFields = {
  availability_zone_profile: required(t.create(AVAILABILITY_ZONE_PROFILE_POST)),
};
export const AVAILABILITY_ZONE_PROFILE_PUT_ENVELOPE: ObjectFields = {
  availability_zone_profile: required(t.object(AVAILABILITY_ZONE_PROFILE_PUT)),
};
