// Wire mapping for L7 rules (reference §8.2). Rules have no name or description; `key` stays null when
// unset, unlike names.
import type { L7Rule } from '../../../model/l7.ts';
import type { FilterField, WireObject } from '../../wire/listing.ts';
import { modelFields } from '../filter-fields.ts';
import { wireTime } from '../octavia-wire.ts';
import { COMMON_COLUMNS, type SqlColumns, sqlText } from '../sql-page-spec.ts';

export function l7RuleToWire(r: L7Rule): WireObject {
  return {
    id: r.id,
    type: r.type,
    compare_type: r.compareType,
    key: r.key,
    value: r.value,
    invert: r.invert,
    provisioning_status: r.provisioningStatus,
    operating_status: r.operatingStatus,
    created_at: wireTime(r.createdAt),
    updated_at: wireTime(r.updatedAt),
    project_id: r.projectId,
    tenant_id: r.projectId,
    admin_state_up: r.adminStateUp,
    tags: [...r.tags],
  };
}

/** Attributes a list may sort on: the scalar wire fields. */
export const L7RULE_ATTRIBUTES = [
  'id',
  'type',
  'compare_type',
  'key',
  'value',
  'invert',
  'provisioning_status',
  'operating_status',
  'created_at',
  'updated_at',
  'project_id',
  'tenant_id',
  'admin_state_up',
] as const;

/** Filter keys of the list: the data model's fields under their API and database names (reference §1.4). */
export const L7RULE_FILTERS: Readonly<Record<string, FilterField>> = {
  ...modelFields(L7RULE_ATTRIBUTES),
};

/** The wire keys a list page reads straight from a column (sql-page-spec.ts). */
export const L7RULE_COLUMNS: SqlColumns = {
  ...COMMON_COLUMNS,
  l7policy_id: sqlText('l7policy_id'),
  type: sqlText('type'),
  compare_type: sqlText('compare_type'),
  key: sqlText('key', { nullable: true }),
  value: sqlText('value'),
  invert: { column: 'invert', kind: 'bool' },
};
