// Request bodies for flavor profiles, as Octavia's WSME types FlavorProfilePOST/PUT declare them
// (reference §10.3): flavor_data is JSON text, decoded and handed to the provider by the route.
import { field, type ObjectFields, required, t } from '../../wire/field-types.ts';

export const FLAVOR_PROFILE_POST: ObjectFields = {
  name: required(t.string(255)),
  provider_name: required(t.string(255)),
  flavor_data: required(t.string(4096)),
};

export const FLAVOR_PROFILE_PUT: ObjectFields = {
  name: field(t.string(255)),
  provider_name: field(t.string(255)),
  flavor_data: field(t.string(4096)),
};

export const FLAVOR_PROFILE_POST_ENVELOPE: ObjectFields = {
  flavorprofile: required(t.create(FLAVOR_PROFILE_POST)),
};
export const FLAVOR_PROFILE_PUT_ENVELOPE: ObjectFields = {
  flavorprofile: required(t.object(FLAVOR_PROFILE_PUT)),
};
