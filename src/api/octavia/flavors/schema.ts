// Request bodies for flavors, as Octavia's WSME types FlavorPOST/PUT declare them (reference §10.3):
// flavor_profile_id is set once at creation (not in the PUT type, so sending it is an unknown attribute).
import { field, type ObjectFields, required, t } from '../../wire/field-types.ts';

export const FLAVOR_POST: ObjectFields = {
  name: required(t.string(255)),
  description: field(t.string(255)),
  enabled: field(t.bool()),
  flavor_profile_id: required(t.uuid()),
};

export const FLAVOR_PUT: ObjectFields = {
  name: field(t.string(255)),
  description: field(t.string(255)),
  enabled: field(t.bool()),
};

export const FLAVOR_POST_ENVELOPE: ObjectFields = { flavor: required(t.create(FLAVOR_POST)) };
export const FLAVOR_PUT_ENVELOPE: ObjectFields = { flavor: required(t.object(FLAVOR_PUT)) };
