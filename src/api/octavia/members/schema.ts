// Request bodies for members, as Octavia's WSME types declare them (MemberPOST/PUT and the batch
// MembersRootPUT, reference §6, §6.1).
import { MAX_WEIGHT, MIN_WEIGHT } from '../../../model/member.ts';
import { field, type ObjectFields, required, t } from '../../wire/field-types.ts';

const PORT = t.int(1, 65535);

export const MEMBER_POST: ObjectFields = {
  name: field(t.string()),
  admin_state_up: field(t.bool()),
  address: required(t.ip()),
  protocol_port: required(PORT),
  weight: field(t.int(MIN_WEIGHT, MAX_WEIGHT)),
  backup: field(t.bool()),
  subnet_id: field(t.uuid()),
  project_id: field(t.string(36)),
  tenant_id: field(t.string(36)),
  monitor_port: field(PORT),
  monitor_address: field(t.ip()),
  tags: field(t.list(t.string())),
  /** API 2.30: a PUT does not take it; Sluice refuses `true` (pools/checks.ts checkMemberSriov). */
  request_sriov: field(t.bool()),
};

/** A member inside a fully populated LB create's pool (MemberSingleCreate: no project, reference §3.3). */
export const MEMBER_SINGLE_CREATE: ObjectFields = Object.fromEntries(
  Object.entries(MEMBER_POST).filter(([name]) => name !== 'project_id' && name !== 'tenant_id'),
);

export const MEMBER_PUT: ObjectFields = {
  name: field(t.string()),
  admin_state_up: field(t.bool()),
  weight: field(t.int(MIN_WEIGHT, MAX_WEIGHT)),
  backup: field(t.bool()),
  monitor_port: field(PORT),
  monitor_address: field(t.ip()),
  tags: field(t.list(t.string())),
};

export const MEMBER_POST_ENVELOPE: ObjectFields = { member: required(t.create(MEMBER_POST)) };
export const MEMBER_PUT_ENVELOPE: ObjectFields = { member: required(t.object(MEMBER_PUT)) };
/** The batch update body: `{"members": [<member POST objects>]}` (reference §6.1). */
export const MEMBERS_PUT_ENVELOPE: ObjectFields = { members: field(t.list(t.create(MEMBER_POST))) };
