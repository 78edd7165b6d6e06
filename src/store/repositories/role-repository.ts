// SQL for roles and role assignments (project and system grants), portable across SQLite and PostgreSQL.
// Role names are unique case-insensitively through the lower-cased `name_key` column.
import type { Kysely } from 'kysely';
import { now } from '../codec.ts';
import type { Database } from '../schema.ts';
import type { RoleAssignmentRecord, RoleRecord } from './identity-records.ts';

export type AssignmentFilter = Readonly<{ userId?: string; roleId?: string; targetId?: string }>;

export class RoleRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async findRole(id: string): Promise<RoleRecord | null> {
    const row = await this.db
      .selectFrom('roles')
      .select(['id', 'name'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row ?? null;
  }

  async findRoleByName(name: string): Promise<RoleRecord | null> {
    const row = await this.db
      .selectFrom('roles')
      .select(['id', 'name'])
      .where('name_key', '=', name.toLowerCase())
      .executeTakeFirst();
    return row ?? null;
  }

  async listRoles(filter: Readonly<{ name?: string }>): Promise<RoleRecord[]> {
    let query = this.db.selectFrom('roles').select(['id', 'name']).orderBy('name').orderBy('id');
    if (filter.name !== undefined) query = query.where('name', '=', filter.name);
    return query.execute();
  }

  async insertRole(role: RoleRecord): Promise<void> {
    await this.db
      .insertInto('roles')
      .values({ id: role.id, name: role.name, name_key: role.name.toLowerCase(), created_at: now() })
      .execute();
  }

  async renameRole(id: string, name: string): Promise<void> {
    await this.db
      .updateTable('roles')
      .set({ name, name_key: name.toLowerCase() })
      .where('id', '=', id)
      .execute();
  }

  async deleteRole(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('role_assignments').where('role_id', '=', id).execute();
      const result = await tx.deleteFrom('roles').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  /** Roles the user holds on a target (a project id or SYSTEM_TARGET). */
  async rolesOn(userId: string, targetId: string): Promise<RoleRecord[]> {
    return this.db
      .selectFrom('role_assignments')
      .innerJoin('roles', 'roles.id', 'role_assignments.role_id')
      .select(['roles.id', 'roles.name'])
      .where('role_assignments.user_id', '=', userId)
      .where('role_assignments.target_id', '=', targetId)
      .orderBy('roles.name')
      .execute();
  }

  /** Adds a grant; granting twice is not an error (Keystone answers 204 both times). */
  async grant(assignment: RoleAssignmentRecord): Promise<void> {
    await this.db
      .insertInto('role_assignments')
      .values({ user_id: assignment.userId, target_id: assignment.targetId, role_id: assignment.roleId })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async revoke(assignment: RoleAssignmentRecord): Promise<boolean> {
    const result = await this.db
      .deleteFrom('role_assignments')
      .where('user_id', '=', assignment.userId)
      .where('target_id', '=', assignment.targetId)
      .where('role_id', '=', assignment.roleId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async hasGrant(assignment: RoleAssignmentRecord): Promise<boolean> {
    const row = await this.db
      .selectFrom('role_assignments')
      .select('user_id')
      .where('user_id', '=', assignment.userId)
      .where('target_id', '=', assignment.targetId)
      .where('role_id', '=', assignment.roleId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async listAssignments(filter: AssignmentFilter): Promise<RoleAssignmentRecord[]> {
    let query = this.db
      .selectFrom('role_assignments')
      .select(['user_id', 'role_id', 'target_id'])
      .orderBy('user_id')
      .orderBy('target_id')
      .orderBy('role_id');
    if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
    if (filter.roleId !== undefined) query = query.where('role_id', '=', filter.roleId);
    if (filter.targetId !== undefined) query = query.where('target_id', '=', filter.targetId);
    const rows = await query.execute();
    return rows.map((row) => ({ userId: row.user_id, roleId: row.role_id, targetId: row.target_id }));
  }
}
