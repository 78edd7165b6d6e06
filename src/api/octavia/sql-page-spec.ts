// Turns a checked list request into the SQL page of the store when every filter and sort key of it maps to a
// column of the collection's declaration (its wire.ts); undefined sends the request to the in-memory listing.
import type { PageSpec, SqlValue } from '../../store/repositories/keyset-page.ts';
import type { ListPlan } from '../wire/listing.ts';
import { isTruthy } from '../wire/query-values.ts';

/** The wire keys of a collection (filter keys and sort attributes) that read straight from a column. */
export type SqlColumns = Readonly<Record<string, SqlValue>>;

export function sqlPageSpec(plan: ListPlan, columns: SqlColumns): PageSpec | undefined {
  const column = (key: string) => (Object.hasOwn(columns, key) ? columns[key] : undefined);
  const filters: PageSpec['filters'][number][] = [];
  for (const { key, values } of plan.filters) {
    const value = column(key);
    if (value === undefined) return undefined;
    // Boolean filters read words as oslo's bool_from_string, as the in-memory match does (wire/listing.ts).
    filters.push({
      value,
      values: value.kind === 'bool' ? values.map((w) => (isTruthy(w) ? 1 : 0)) : values,
    });
  }
  const order: PageSpec['order'][number][] = [];
  for (const { key, desc } of plan.sort) {
    const value = column(key);
    // NULL sorts first on the wire and by dialect in SQL: such keys stay in memory.
    if (value === undefined || value.nullable) return undefined;
    order.push({ value, desc });
  }
  const { tags, marker, reverse, limit } = plan;
  return { filters, tags, order, marker, reverse, limit };
}

const text = (column: string, more: Partial<SqlValue> = {}): SqlValue => ({ column, kind: 'text', ...more });

/** Columns every Octavia object shares (octavia-wire.ts commonToWire): null names show as "". */
export const COMMON_COLUMNS: SqlColumns = {
  id: text('id'),
  name: text('name', { emptyIfNull: true }),
  description: text('description', { emptyIfNull: true }),
  provisioning_status: text('provisioning_status'),
  operating_status: text('operating_status'),
  admin_state_up: { column: 'admin_state_up', kind: 'bool' },
  enabled: { column: 'admin_state_up', kind: 'bool' },
  project_id: text('project_id'),
  tenant_id: text('project_id'),
  created_at: { column: 'created_at', kind: 'time' },
  updated_at: { column: 'updated_at', kind: 'time', nullable: true },
};

export const sqlText = text;
