// SQL for the identity directory: domains, projects and users (portable Kysely, SQLite and PostgreSQL).
// Unique violations propagate to the caller, which turns them into Keystone's 409.
import type { Kysely, Selectable } from 'kysely';
import { fromBool, fromJson, now, toBool, toJson } from '../codec.ts';
import type { Database, DomainTable, ProjectTable, UserTable } from '../schema.ts';
import type { DirectoryFilter, DomainRecord, ProjectRecord, UserRecord } from './identity-records.ts';

export type ProjectChanges = Partial<Pick<ProjectRecord, 'name' | 'description' | 'enabled' | 'tags'>>;
export type UserChanges = Partial<Pick<UserRecord, 'name' | 'enabled' | 'defaultProjectId' | 'passwordHash'>>;

export class IdentityRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async findDomain(id: string): Promise<DomainRecord | null> {
    const row = await this.db.selectFrom('domains').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? domainOf(row) : null;
  }

  async findDomainByName(name: string): Promise<DomainRecord | null> {
    const row = await this.db.selectFrom('domains').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? domainOf(row) : null;
  }

  async listDomains(filter: DirectoryFilter): Promise<DomainRecord[]> {
    let query = this.db.selectFrom('domains').selectAll().orderBy('name').orderBy('id');
    if (filter.name !== undefined) query = query.where('name', '=', filter.name);
    if (filter.enabled !== undefined) query = query.where('enabled', '=', toBool(filter.enabled));
    return (await query.execute()).map(domainOf);
  }

  async insertDomain(domain: DomainRecord): Promise<void> {
    await this.db
      .insertInto('domains')
      .values({ ...domain, enabled: toBool(domain.enabled), created_at: now() })
      .execute();
  }

  async findProject(id: string): Promise<ProjectRecord | null> {
    const row = await this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? projectOf(row) : null;
  }

  async findProjectByName(domainId: string, name: string): Promise<ProjectRecord | null> {
    const row = await this.db
      .selectFrom('projects')
      .selectAll()
      .where('domain_id', '=', domainId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? projectOf(row) : null;
  }

  /** Projects matching the filter; with `userId`, only those the user holds a role on. */
  async listProjects(filter: DirectoryFilter & { userId?: string }): Promise<ProjectRecord[]> {
    let query = this.db.selectFrom('projects').selectAll().orderBy('name').orderBy('id');
    if (filter.name !== undefined) query = query.where('name', '=', filter.name);
    if (filter.domainId !== undefined) query = query.where('domain_id', '=', filter.domainId);
    if (filter.enabled !== undefined) query = query.where('enabled', '=', toBool(filter.enabled));
    const userId = filter.userId;
    if (userId !== undefined) {
      query = query.where('id', 'in', (eb) =>
        eb.selectFrom('role_assignments').select('target_id').where('user_id', '=', userId),
      );
    }
    return (await query.execute()).map(projectOf);
  }

  async hasChildProjects(id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('projects')
      .select('id')
      .where('parent_id', '=', id)
      .executeTakeFirst();
    return row !== undefined;
  }

  async insertProject(project: ProjectRecord): Promise<void> {
    await this.db
      .insertInto('projects')
      .values({
        id: project.id,
        name: project.name,
        description: project.description,
        domain_id: project.domainId,
        enabled: toBool(project.enabled),
        parent_id: project.parentId,
        tags: toJson(project.tags),
        created_at: now(),
      })
      .execute();
  }

  async updateProject(id: string, changes: ProjectChanges): Promise<void> {
    const values: Partial<Pick<ProjectTable, 'name' | 'description' | 'enabled' | 'tags'>> = {};
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.description !== undefined) values.description = changes.description;
    if (changes.enabled !== undefined) values.enabled = toBool(changes.enabled);
    if (changes.tags !== undefined) values.tags = toJson(changes.tags);
    if (Object.keys(values).length === 0) return;
    await this.db.updateTable('projects').set(values).where('id', '=', id).execute();
  }

  /** Deletes the project with its grants and the tokens scoped to it (they reference it without a key). */
  async deleteProject(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('role_assignments').where('target_id', '=', id).execute();
      await tx.deleteFrom('tokens').where('project_id', '=', id).execute();
      const result = await tx.deleteFrom('projects').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async findUser(id: string): Promise<UserRecord | null> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? userOf(row) : null;
  }

  async findUserByName(domainId: string, name: string): Promise<UserRecord | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('domain_id', '=', domainId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? userOf(row) : null;
  }

  async listUsers(filter: DirectoryFilter): Promise<UserRecord[]> {
    let query = this.db.selectFrom('users').selectAll().orderBy('name').orderBy('id');
    if (filter.name !== undefined) query = query.where('name', '=', filter.name);
    if (filter.domainId !== undefined) query = query.where('domain_id', '=', filter.domainId);
    if (filter.enabled !== undefined) query = query.where('enabled', '=', toBool(filter.enabled));
    return (await query.execute()).map(userOf);
  }

  async insertUser(user: UserRecord): Promise<void> {
    await this.db
      .insertInto('users')
      .values({
        id: user.id,
        name: user.name,
        domain_id: user.domainId,
        enabled: toBool(user.enabled),
        default_project_id: user.defaultProjectId,
        password_hash: user.passwordHash,
        created_at: now(),
      })
      .execute();
  }

  async updateUser(id: string, changes: UserChanges): Promise<void> {
    const values: Partial<Pick<UserTable, 'name' | 'enabled' | 'default_project_id' | 'password_hash'>> = {};
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.enabled !== undefined) values.enabled = toBool(changes.enabled);
    if (changes.defaultProjectId !== undefined) values.default_project_id = changes.defaultProjectId;
    if (changes.passwordHash !== undefined) values.password_hash = changes.passwordHash;
    if (Object.keys(values).length === 0) return;
    await this.db.updateTable('users').set(values).where('id', '=', id).execute();
  }

  /** Deletes the user with its grants and tokens (explicitly: foreign keys may be off on old SQLite files). */
  async deleteUser(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('role_assignments').where('user_id', '=', id).execute();
      await tx.deleteFrom('tokens').where('user_id', '=', id).execute();
      const result = await tx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }
}

function domainOf(row: Selectable<DomainTable>): DomainRecord {
  return { id: row.id, name: row.name, description: row.description, enabled: fromBool(row.enabled) };
}

function projectOf(row: Selectable<ProjectTable>): ProjectRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    domainId: row.domain_id,
    enabled: fromBool(row.enabled),
    parentId: row.parent_id,
    tags: fromJson<string[]>(row.tags, []),
  };
}

function userOf(row: Selectable<UserTable>): UserRecord {
  return {
    id: row.id,
    name: row.name,
    domainId: row.domain_id,
    enabled: fromBool(row.enabled),
    defaultProjectId: row.default_project_id,
    passwordHash: row.password_hash,
  };
}
