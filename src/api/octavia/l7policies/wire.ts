// Wire mapping for L7 policies (reference §8.1): the common child fields, the redirect arguments, the
// dense position and the policy's rules as `[{id}]`.
import type { L7Policy } from '../../../model/l7.ts';
import type { FilterField, WireObject } from '../../wire/listing.ts';
import { modelFields } from '../filter-fields.ts';
import { commonWire, idRefs } from '../octavia-wire.ts';
import { COMMON_COLUMNS, type SqlColumns, sqlText } from '../sql-page-spec.ts';

export function l7PolicyToWire(p: L7Policy): WireObject {
  return {
    ...commonWire(p),
    description: p.description ?? '',
    action: p.action,
    listener_id: p.listenerId,
    redirect_pool_id: p.redirectPoolId,
    redirect_url: p.redirectUrl,
    redirect_prefix: p.redirectPrefix,
    redirect_http_code: p.redirectHttpCode,
    position: p.position,
    rules: idRefs(p.ruleIds),
  };
}

/** Attributes a list may sort on: the scalar wire fields. */
export const L7POLICY_ATTRIBUTES = [
  'id',
  'name',
  'description',
  'provisioning_status',
  'operating_status',
  'admin_state_up',
  'project_id',
  'tenant_id',
  'created_at',
  'updated_at',
  'action',
  'listener_id',
  'redirect_pool_id',
  'redirect_url',
  'redirect_prefix',
  'redirect_http_code',
  'position',
] as const;

/** Filter keys of the list: the data model's fields under their API and database names (reference §1.4). */
export const L7POLICY_FILTERS: Readonly<Record<string, FilterField>> = {
  ...modelFields(L7POLICY_ATTRIBUTES),
};

/** The wire keys a list page reads straight from a column (sql-page-spec.ts); `position` is a rank. */
export const L7POLICY_COLUMNS: SqlColumns = {
  ...COMMON_COLUMNS,
  action: sqlText('action'),
  listener_id: sqlText('listener_id'),
  redirect_pool_id: sqlText('redirect_pool_id', { nullable: true }),
  redirect_url: sqlText('redirect_url', { nullable: true }),
  redirect_prefix: sqlText('redirect_prefix', { nullable: true }),
  redirect_http_code: { column: 'redirect_http_code', kind: 'int', nullable: true },
};
