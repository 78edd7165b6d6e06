// Roles, grants (a role for a user on a project or on the system) and the role-assignment listing, with
// Keystone's rules: role names unique case-insensitively (409), grants idempotent, unknown ids → 404.
import { SluiceError } from '../errors.ts';
import { isUniqueViolation, newHexId } from '../store/codec.ts';
import {
  type RoleAssignmentRecord,
  type RoleRecord,
  SYSTEM_TARGET,
} from '../store/repositories/identity-records.ts';
import type { IdentityRepository } from '../store/repositories/identity-repository.ts';
import type { RoleRepository } from '../store/repositories/role-repository.ts';
import type { AssignmentQuery, AssignmentView, GrantTarget, NamedRef } from './identity-types.ts';

const notFound = (kind: string, id: string): SluiceError =>
  new SluiceError('identity.not-found', { kind, id });

export class RoleDirectory {
  private readonly directory: IdentityRepository;
  private readonly roles: RoleRepository;

  constructor(directory: IdentityRepository, roles: RoleRepository) {
    this.directory = directory;
    this.roles = roles;
  }

  listRoles(filter: Readonly<{ name?: string }> = {}): Promise<RoleRecord[]> {
    return this.roles.listRoles(filter);
  }

  async getRole(id: string): Promise<RoleRecord> {
    return (await this.roles.findRole(id)) ?? Promise.reject(notFound('role', id));
  }

  findRoleByName(name: string): Promise<RoleRecord | null> {
    return this.roles.findRoleByName(name);
  }

  async createRole(name: string): Promise<RoleRecord> {
    const role = { id: newHexId(), name };
    await this.roles.insertRole(role).catch(rethrowDuplicate(name));
    return role;
  }

  async renameRole(id: string, name: string): Promise<RoleRecord> {
    await this.getRole(id);
    await this.roles.renameRole(id, name).catch(rethrowDuplicate(name));
    return { id, name };
  }

  async deleteRole(id: string): Promise<void> {
    if (!(await this.roles.deleteRole(id))) throw notFound('role', id);
  }

  /** Roles the user holds on the target. */
  async rolesOf(userId: string, target: GrantTarget): Promise<RoleRecord[]> {
    await this.checkParties(userId, target);
    return this.roles.rolesOn(userId, targetIdOf(target));
  }

  async grant(userId: string, target: GrantTarget, roleId: string): Promise<void> {
    await this.roles.grant(await this.assignment(userId, target, roleId));
  }

  async revoke(userId: string, target: GrantTarget, roleId: string): Promise<void> {
    const assignment = await this.assignment(userId, target, roleId);
    if (!(await this.roles.revoke(assignment))) throw assignmentNotFound(assignment);
  }

  /** Throws 404 unless the grant exists (HEAD/GET of a grant). */
  async check(userId: string, target: GrantTarget, roleId: string): Promise<void> {
    const assignment = await this.assignment(userId, target, roleId);
    if (!(await this.roles.hasGrant(assignment))) throw assignmentNotFound(assignment);
  }

  /** Assignments matching every given filter; `system: true` keeps system grants only. */
  async listAssignments(query: AssignmentQuery): Promise<AssignmentView[]> {
    if (query.system === true && query.projectId !== undefined) return [];
    const targetId = query.system === true ? SYSTEM_TARGET : query.projectId;
    const rows = await this.roles.listAssignments({ userId: query.userId, roleId: query.roleId, targetId });
    const views: AssignmentView[] = [];
    const names = new Names(this.directory, this.roles);
    for (const row of rows) {
      const user = await names.user(row.userId);
      const role = await names.role(row.roleId);
      const project = row.targetId === SYSTEM_TARGET ? null : await names.project(row.targetId);
      // Grants on projects deleted by an older version (no cleanup) are not listed.
      if (row.targetId !== SYSTEM_TARGET && project === null) continue;
      views.push({ role, user, project });
    }
    return views;
  }

  private async assignment(
    userId: string,
    target: GrantTarget,
    roleId: string,
  ): Promise<RoleAssignmentRecord> {
    await this.checkParties(userId, target);
    await this.getRole(roleId);
    return { userId, roleId, targetId: targetIdOf(target) };
  }

  private async checkParties(userId: string, target: GrantTarget): Promise<void> {
    if (target.kind === 'project' && !(await this.directory.findProject(target.projectId))) {
      throw notFound('project', target.projectId);
    }
    if (!(await this.directory.findUser(userId))) throw notFound('user', userId);
  }
}

function targetIdOf(target: GrantTarget): string {
  return target.kind === 'system' ? SYSTEM_TARGET : target.projectId;
}

function assignmentNotFound(assignment: RoleAssignmentRecord): SluiceError {
  const on = assignment.targetId === SYSTEM_TARGET ? 'the system' : `project ${assignment.targetId}`;
  return notFound('role assignment', `role ${assignment.roleId} for user ${assignment.userId} on ${on}`);
}

function rethrowDuplicate(name: string): (error: unknown) => never {
  return (error) => {
    if (!isUniqueViolation(error)) throw error;
    throw new SluiceError('identity.conflict', {
      kind: 'role',
      detail: `Duplicate entry found with name ${name}`,
    });
  };
}

/** Memoised id → name lookups for one listing. */
class Names {
  readonly #cache = new Map<string, Promise<unknown>>();

  private readonly directory: IdentityRepository;
  private readonly roles: RoleRepository;

  constructor(directory: IdentityRepository, roles: RoleRepository) {
    this.directory = directory;
    this.roles = roles;
  }

  user(id: string): Promise<NamedRef & { domain: NamedRef }> {
    return this.memo(`u:${id}`, async () => {
      const user = await this.directory.findUser(id);
      return { id, name: user?.name ?? id, domain: await this.domain(user?.domainId ?? '') };
    });
  }

  project(id: string): Promise<(NamedRef & { domain: NamedRef }) | null> {
    return this.memo(`p:${id}`, async () => {
      const project = await this.directory.findProject(id);
      return project && { id, name: project.name, domain: await this.domain(project.domainId) };
    });
  }

  role(id: string): Promise<NamedRef> {
    return this.memo(`r:${id}`, async () => ({ id, name: (await this.roles.findRole(id))?.name ?? id }));
  }

  private domain(id: string): Promise<NamedRef> {
    return this.memo(`d:${id}`, async () => ({
      id,
      name: (await this.directory.findDomain(id))?.name ?? id,
    }));
  }

  private memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.#cache.has(key)) this.#cache.set(key, load());
    return this.#cache.get(key) as Promise<T>;
  }
}
