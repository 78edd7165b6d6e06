// SQL for pool members (reference §6): insert, read, list per pool, update, and the (address, protocol_port)
// lookup behind the per-pool uniqueness rule. State changes go through octavia-lock.ts.
import type { Selectable } from 'kysely';
import type { Member, MemberChanges, NewMember } from '../../model/member.ts';
import type { OperatingStatus, ProvisioningStatus } from '../../model/statuses.ts';
import { fromBool, fromJson, now, toBool, toJson } from '../codec.ts';
import type { Db } from '../database.ts';
import type { MemberTable } from '../schema.ts';
import { type PageSpec, readPage } from './keyset-page.ts';

export async function insertMember(db: Db, member: NewMember): Promise<void> {
  await db
    .insertInto('members')
    .values({
      id: member.id,
      project_id: member.projectId,
      load_balancer_id: member.loadBalancerId,
      pool_id: member.poolId,
      name: member.name,
      admin_state_up: toBool(member.adminStateUp),
      provisioning_status: member.provisioningStatus,
      operating_status: member.operatingStatus,
      address: member.address,
      protocol_port: member.protocolPort,
      subnet_id: member.subnetId,
      weight: member.weight,
      backup: toBool(member.backup),
      monitor_address: member.monitorAddress,
      monitor_port: member.monitorPort,
      tags: toJson(member.tags),
      created_at: now(),
      updated_at: null,
    })
    .execute();
}

export async function findMember(db: Db, id: string): Promise<Member | undefined> {
  const row = await db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toMember(row);
}

/** The members of one pool, oldest first. */
export async function listMembers(db: Db, poolId: string): Promise<Member[]> {
  const rows = await db
    .selectFrom('members')
    .selectAll()
    .where('pool_id', '=', poolId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toMember);
}

/** One list page of the pool's members, read in SQL (keyset-page.ts); undefined: unknown marker. */
export async function pageMembers(db: Db, poolId: string, spec: PageSpec): Promise<Member[] | undefined> {
  return (await readPage(db, db.selectFrom('members'), spec, { pool_id: poolId }))?.map(toMember);
}

/** The member of the pool already using (address, protocol_port), if any (409 on create, reference §6). */
export async function findMemberByEndpoint(
  db: Db,
  poolId: string,
  address: string,
  protocolPort: number,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('members')
    .select('id')
    .where('pool_id', '=', poolId)
    .where('address', '=', address)
    .where('protocol_port', '=', protocolPort)
    .executeTakeFirst();
  return row?.id;
}

export async function updateMember(db: Db, id: string, changes: MemberChanges): Promise<void> {
  const c = changes;
  await db
    .updateTable('members')
    .set({
      updated_at: now(),
      ...(c.name !== undefined && { name: c.name }),
      ...(c.adminStateUp !== undefined && { admin_state_up: toBool(c.adminStateUp) }),
      ...(c.weight !== undefined && { weight: c.weight }),
      ...(c.backup !== undefined && { backup: toBool(c.backup) }),
      ...(c.monitorAddress !== undefined && { monitor_address: c.monitorAddress }),
      ...(c.monitorPort !== undefined && { monitor_port: c.monitorPort }),
      ...(c.tags !== undefined && { tags: toJson(c.tags) }),
    })
    .where('id', '=', id)
    .execute();
}

function toMember(row: Selectable<MemberTable>): Member {
  return {
    id: row.id,
    projectId: row.project_id,
    loadBalancerId: row.load_balancer_id,
    poolId: row.pool_id,
    name: row.name,
    adminStateUp: fromBool(row.admin_state_up),
    provisioningStatus: row.provisioning_status as ProvisioningStatus,
    operatingStatus: row.operating_status as OperatingStatus,
    address: row.address,
    protocolPort: Number(row.protocol_port),
    subnetId: row.subnet_id,
    weight: Number(row.weight),
    backup: fromBool(row.backup),
    monitorAddress: row.monitor_address,
    monitorPort: row.monitor_port === null ? null : Number(row.monitor_port),
    tags: fromJson<string[]>(row.tags, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
