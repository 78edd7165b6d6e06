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

/** The fields of every load-balancer child, `admin_state_up` also under its database name `enabled`. */
export const STATUS_FILTERS: Readonly<Record<string, FilterField>> = {
  ...sameNames([
    'id',
    'project_id',
    'provisioning_status',
    'operating_status',
    'admin_state_up',
    'created_at',
    'updated_at',
  ]),
  enabled: 'admin_state_up',
};
