// Wire mapping for members (reference §6): domain → Octavia's snake_case response, and parsed request bodies
// → a new member, a PUT's changes, or a batch update's changes (which reset omitted fields to defaults).
import {
  DEFAULT_WEIGHT,
  initialMemberOperatingStatus,
  type Member,
  type MemberChanges,
  type NewMember,
} from '../../../model/member.ts';
import type { FilterField, WireObject } from '../../wire/listing.ts';
import { modelFields } from '../filter-fields.ts';
import { commonWire } from '../octavia-wire.ts';
import { COMMON_COLUMNS, type SqlColumns, sqlText } from '../sql-page-spec.ts';

type Body = Record<string, unknown>;

export function memberToWire(member: Member): WireObject {
  return {
    ...commonWire(member),
    address: member.address,
    protocol_port: member.protocolPort,
    weight: member.weight,
    backup: member.backup,
    subnet_id: member.subnetId,
    monitor_address: member.monitorAddress,
    monitor_port: member.monitorPort,
    // API 2.30: "direct" only for an SR-IOV port, which Sluice never creates (request_sriov is refused).
    vnic_type: 'normal',
  };
}

/** Attributes a member list may filter or sort on: the scalar wire fields. */
export const MEMBER_ATTRIBUTES = [
  'id',
  'name',
  'provisioning_status',
  'operating_status',
  'admin_state_up',
  'project_id',
  'tenant_id',
  'address',
  'protocol_port',
  'weight',
  'backup',
  'subnet_id',
  'monitor_address',
  'monitor_port',
  'vnic_type',
  'created_at',
  'updated_at',
] as const;

/**
 * The member a validated POST body (or a fully populated LB's member item) describes: PENDING_CREATE, and
 * OFFLINE under a health monitor, else NO_MONITOR (reference §6).
 */
export function newMemberFromBody(
  body: Body,
  ids: Readonly<{ id: string; projectId: string; loadBalancerId: string; poolId: string }>,
  poolHasMonitor: boolean,
): NewMember {
  return {
    ...ids,
    name: (body.name as string | null | undefined) ?? null,
    adminStateUp: body.admin_state_up === undefined ? true : body.admin_state_up === true,
    provisioningStatus: 'PENDING_CREATE',
    operatingStatus: initialMemberOperatingStatus(poolHasMonitor),
    address: body.address as string,
    protocolPort: body.protocol_port as number,
    subnetId: (body.subnet_id as string | null | undefined) ?? null,
    weight: (body.weight as number | null | undefined) ?? DEFAULT_WEIGHT,
    backup: body.backup === true,
    monitorAddress: (body.monitor_address as string | null | undefined) ?? null,
    monitorPort: (body.monitor_port as number | null | undefined) ?? null,
    tags: (body.tags as string[] | null | undefined) ?? [],
  };
}

/** A PUT's changes: null weight → 1, null backup / admin_state_up → false (reference §6, §1.3). */
export function memberChangesFromBody(body: Body): MemberChanges {
  const has = (key: string) => key in body;
  return {
    ...(has('name') && { name: body.name as string | null }),
    ...(has('admin_state_up') && { adminStateUp: body.admin_state_up === true }),
    ...(has('weight') && { weight: (body.weight as number | null) ?? DEFAULT_WEIGHT }),
    ...(has('backup') && { backup: body.backup === true }),
    ...(has('monitor_address') && { monitorAddress: body.monitor_address as string | null }),
    ...(has('monitor_port') && { monitorPort: body.monitor_port as number | null }),
    ...(has('tags') && { tags: (body.tags as string[] | null) ?? [] }),
  };
}

/**
 * A batch update of an existing member: the POST schema's defaults apply, so omitted weight, admin_state_up,
 * backup and monitor_* go back to 1/true/false/null; name and tags change only when given (reference §6.1).
 */
export function batchChangesFromBody(body: Body): MemberChanges {
  return {
    ...memberChangesFromBody(body),
    adminStateUp: body.admin_state_up === undefined ? true : body.admin_state_up === true,
    weight: (body.weight as number | null | undefined) ?? DEFAULT_WEIGHT,
    backup: body.backup === true,
    monitorAddress: (body.monitor_address as string | null | undefined) ?? null,
    monitorPort: (body.monitor_port as number | null | undefined) ?? null,
  };
}

/** Filter keys of the list: the data model's fields under their API and database names (reference §1.4). */
export const MEMBER_FILTERS: Readonly<Record<string, FilterField>> = {
  ...modelFields(MEMBER_ATTRIBUTES),
  ip_address: 'address',
};

/** The wire keys a list page reads straight from a column (sql-page-spec.ts); `vnic_type` has none. */
export const MEMBER_COLUMNS: SqlColumns = {
  ...COMMON_COLUMNS,
  pool_id: sqlText('pool_id'),
  address: sqlText('address'),
  ip_address: sqlText('address'),
  protocol_port: { column: 'protocol_port', kind: 'int' },
  weight: { column: 'weight', kind: 'int' },
  backup: { column: 'backup', kind: 'bool' },
  subnet_id: sqlText('subnet_id', { nullable: true }),
  monitor_address: sqlText('monitor_address', { nullable: true }),
  monitor_port: { column: 'monitor_port', kind: 'int', nullable: true },
};
