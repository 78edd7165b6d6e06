// Request bodies for availability zones, as Octavia's WSME types AvailabilityZonePOST/PUT declare them
// (reference §10.4): the name is the key and, with the profile, is set once at creation.
import { field, type ObjectFields, required, t } from '../../wire/field-types.ts';

export const AVAILABILITY_ZONE_POST: ObjectFields = {
  name: required(t.string(255)),
  description: field(t.string(255)),
  enabled: field(t.bool()),
  availability_zone_profile_id: required(t.uuid()),
};

export const AVAILABILITY_ZONE_PUT: ObjectFields = {
  description: field(t.string(255)),
  enabled: field(t.bool()),
};

export const AVAILABILITY_ZONE_POST_ENVELOPE: ObjectFields = {
  availability_zone: required(t.create(AVAILABILITY_ZONE_POST)),
};
export const AVAILABILITY_ZONE_PUT_ENVELOPE: ObjectFields = {
  availability_zone: required(t.object(AVAILABILITY_ZONE_PUT)),
};
