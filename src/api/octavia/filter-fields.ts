// Builds the filter tables of the Octavia collections: which query keys a list accepts and where each reads
// its value. Octavia accepts the fields of its data model, under their API or database names
// (octavia/api/common/pagination.py translates with each type's _type_to_db_map, then keeps data-model keys).
import type { FilterField, WireObject } from '../wire/listing.ts';

/** Fields shown on the wire under the name they are filtered by. */
export const sameNames = (keys: readonly string[]): Record<string, FilterField> =>
  Object.fromEntries(keys.map((key) => [key, key]));

/** The id of a parent the wire shows as `[{id}]` (a listener's `loadbalancers`, a monitor's `pools`). */
export const firstRefId =
  (key: string): FilterField =>
  (row: WireObject) =>
    (row[key] as readonly { id: string }[] | undefined)?.[0]?.id;

/**
 * The sortable wire attributes as filter keys, `admin_state_up` also under its database name `enabled`.
 * `tenant_id` is no field of Octavia's data model, so it is left out: Octavia answers 400 to it.
 */
export function modelFields(attributes: readonly string[]): Record<string, FilterField> {
  const fields = sameNames(attributes.filter((key) => key !== 'tenant_id'));
  return attributes.includes('admin_state_up') ? { ...fields, enabled: 'admin_state_up' } : fields;
}
