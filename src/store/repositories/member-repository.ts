// SQL for pool members (reference §6): insert, read, list per pool, update (one or many, in multi-row
// statements for a batch update) and the (address, protocol_port) lookup behind the per-pool uniqueness rule.
import { type Selectable, sql } from 'kysely';
import type { Member, MemberChanges, NewMember } from '../../model/member.ts';
import type { OperatingStatus, ProvisioningStatus } from '../../model/statuses.ts';
import { fromBool, fromJson, now, toBool, toJson } from '../codec.ts';
import type { Db } from '../database.ts';
import type { MemberTable } from '../schema.ts';
import { chunks, idIn, idRuns, MAX_VARIABLES, onPostgres } from '../statement-runs.ts';
import { type PageSpec, readPage } from './keyset-page.ts';
import { apiReason, recordCreated, recordStatusChanges } from './status-event-repository.ts';

export async function insertMember(db: Db, member: NewMember): Promise<void> {
  await insertMembers(db, [member]);
}

/** Each inserted column's SQL type, for PostgreSQL's one-statement insert from arrays. */
const INSERTED_TYPES = {
  id: 'text',
  project_id: 'text',
  load_balancer_id: 'text',
  pool_id: 'text',
  name: 'text',
  admin_state_up: 'integer',
  provisioning_status: 'text',
  operating_status: 'text',
  address: 'text',
  protocol_port: 'integer',
  subnet_id: 'text',
  weight: 'integer',
  backup: 'integer',
  monitor_address: 'text',
  monitor_port: 'integer',
  tags: 'text',
  created_at: 'text',
  updated_at: 'text',
} as const;

/**
 * Inserts members (a batch update, §6.1). PostgreSQL takes them in one statement whatever their number: one
 * array per column, `unnest` turning them back into rows
 * (https://www.postgresql.org/docs/current/functions-array.html#ARRAY-FUNCTIONS-TABLE), where 10,000 members
 * in multi-row VALUES were six statements of 33,000 placeholders that took it longer to parse than to insert.
 * SQLite has no arrays: multi-row INSERTs, as few as its variable limit allows.
 */
export async function insertMembers(db: Db, members: readonly NewMember[]): Promise<void> {
  const createdAt = now();
  const rows = members.map((member) => ({
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
    created_at: createdAt,
    updated_at: null,
  }));
  if (rows.length === 0) return;
  if (onPostgres(db)) {
    const columns = Object.keys(INSERTED_TYPES) as (keyof typeof INSERTED_TYPES)[];
    const arrays = columns.map(
      (column) => sql`cast(${rows.map((row) => row[column])} as ${sql.raw(INSERTED_TYPES[column])}[])`,
    );
    await sql`insert into members (${sql.join(columns.map((column) => sql.ref(column)))})
      select * from unnest(${sql.join(arrays)})`.execute(db);
  } else {
    const perRow = Object.keys(rows[0]).length;
    for (const run of chunks(rows, Math.floor(MAX_VARIABLES / perRow))) {
      await db.insertInto('members').values(run).execute();
    }
  }
  await recordCreated(
    db,
    'members',
    rows.map((r) => r.id),
    apiReason('PENDING_CREATE'),
  );
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

/** The (address, protocol_port) of each member of one pool: all a batch update compares (reference §6.1). */
export async function listMemberEndpoints(
  db: Db,
  poolId: string,
): Promise<{ id: string; address: string; protocolPort: number }[]> {
  const rows = await db
    .selectFrom('members')
    .select(['id', 'address', 'protocol_port'])
    .where('pool_id', '=', poolId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, address: r.address, protocolPort: Number(r.protocol_port) }));
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
  await db.updateTable('members').set(changedColumns(changes)).where('id', '=', id).execute();
}

/**
 * Gives every member of `ids` the same `changes` and provisioning `status` with one UPDATE per run of ids
 * that fits the variable limit: a batch update groups its members by their changes (reference §6.1).
 */
export async function updateMembers(
  db: Db,
  ids: readonly string[],
  changes: MemberChanges,
  status: ProvisioningStatus,
): Promise<void> {
  for (const run of idRuns(db, ids)) {
    await recordStatusChanges(db, 'members', 'provisioning_status', status, { ids: run }, apiReason(status));
    await db
      .updateTable('members')
      .set({ ...changedColumns(changes), provisioning_status: status })
      .where(idIn(db, run))
      .execute();
  }
}

/** Sets the provisioning status of members, in runs of ids under the variable limit. */
export async function setMembersStatus(
  db: Db,
  ids: readonly string[],
  status: ProvisioningStatus,
): Promise<void> {
  await updateMembers(db, ids, {}, status);
}

function changedColumns(c: MemberChanges) {
  return {
    updated_at: now(),
    ...(c.name !== undefined && { name: c.name }),
    ...(c.adminStateUp !== undefined && { admin_state_up: toBool(c.adminStateUp) }),
    ...(c.weight !== undefined && { weight: c.weight }),
    ...(c.backup !== undefined && { backup: toBool(c.backup) }),
    ...(c.monitorAddress !== undefined && { monitor_address: c.monitorAddress }),
    ...(c.monitorPort !== undefined && { monitor_port: c.monitorPort }),
    ...(c.tags !== undefined && { tags: toJson(c.tags) }),
  };
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
