// The identity directory: domains, projects and users with Keystone's rules (names unique per domain →
// 409, unknown ids → 404, passwords hashed on the way in). Callers check permissions; this only validates.
import { SluiceError } from '../errors.ts';
import { isUniqueViolation, newHexId } from '../store/codec.ts';
import type {
  DirectoryFilter,
  DomainRecord,
  ProjectRecord,
  UserRecord,
} from '../store/repositories/identity-records.ts';
import type { IdentityRepository } from '../store/repositories/identity-repository.ts';
import { DEFAULT_DOMAIN_ID } from './authenticator.ts';
import type { ProjectInput, ProjectPatch, UserInput, UserPatch } from './identity-types.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

const notFound = (kind: string, id: string): SluiceError =>
  new SluiceError('identity.not-found', { kind, id });

const duplicate = (kind: string, name: string, domainId: string): SluiceError =>
  new SluiceError('identity.conflict', {
    kind,
    detail: `Duplicate entry found with name ${name} at domain ID ${domainId}`,
  });

export class Directory {
  private readonly repository: IdentityRepository;

  constructor(repository: IdentityRepository) {
    this.repository = repository;
  }

  listDomains(filter: DirectoryFilter = {}): Promise<DomainRecord[]> {
    return this.repository.listDomains(filter);
  }

  async getDomain(id: string): Promise<DomainRecord> {
    return (await this.repository.findDomain(id)) ?? Promise.reject(notFound('domain', id));
  }

  /** Projects matching the filter; with `userId`, only those the user holds a role on. */
  listProjects(filter: DirectoryFilter & { userId?: string } = {}): Promise<ProjectRecord[]> {
    return this.repository.listProjects(filter);
  }

  async getProject(id: string): Promise<ProjectRecord> {
    return (await this.repository.findProject(id)) ?? Promise.reject(notFound('project', id));
  }

  async createProject(input: ProjectInput): Promise<ProjectRecord> {
    const domainId = input.domainId ?? DEFAULT_DOMAIN_ID;
    await this.getDomain(domainId);
    // Keystone reports a top-level project's parent as its domain; we store null for that case.
    let parentId = input.parentId ?? null;
    if (parentId === domainId) parentId = null;
    if (parentId !== null) {
      const parent = await this.getProject(parentId);
      if (parent.domainId !== domainId) {
        throw new SluiceError('identity.validation', {
          field: "'parent_id'",
          reason: 'the parent project must be in the same domain',
        });
      }
    }
    const project: ProjectRecord = {
      id: newHexId(),
      name: input.name,
      description: input.description ?? '',
      domainId,
      enabled: input.enabled ?? true,
      parentId,
      tags: input.tags ?? [],
    };
    await this.repository.insertProject(project).catch(rethrowDuplicate('project', project.name, domainId));
    return project;
  }

  async updateProject(id: string, patch: ProjectPatch): Promise<ProjectRecord> {
    const project = await this.getProject(id);
    const name = patch.name ?? project.name;
    await this.repository.updateProject(id, patch).catch(rethrowDuplicate('project', name, project.domainId));
    return this.getProject(id);
  }

  async deleteProject(id: string): Promise<void> {
    await this.getProject(id);
    if (await this.repository.hasChildProjects(id)) {
      throw new SluiceError('identity.conflict', {
        kind: 'project',
        detail: `cannot delete project ${id} while it has child projects`,
      });
    }
    if (!(await this.repository.deleteProject(id))) throw notFound('project', id);
  }

  listUsers(filter: DirectoryFilter = {}): Promise<UserRecord[]> {
    return this.repository.listUsers(filter);
  }

  async getUser(id: string): Promise<UserRecord> {
    return (await this.repository.findUser(id)) ?? Promise.reject(notFound('user', id));
  }

  async createUser(input: UserInput): Promise<UserRecord> {
    const domainId = input.domainId ?? DEFAULT_DOMAIN_ID;
    await this.getDomain(domainId);
    const user: UserRecord = {
      id: newHexId(),
      name: input.name,
      domainId,
      enabled: input.enabled ?? true,
      defaultProjectId: input.defaultProjectId ?? null,
      passwordHash: typeof input.password === 'string' ? await hashPassword(input.password) : null,
    };
    await this.repository.insertUser(user).catch(rethrowDuplicate('user', user.name, domainId));
    return user;
  }

  async updateUser(id: string, patch: UserPatch): Promise<UserRecord> {
    const user = await this.getUser(id);
    const { password, ...rest } = patch;
    const passwordHash =
      password === undefined ? undefined : password === null ? null : await hashPassword(password);
    await this.repository
      .updateUser(id, { ...rest, passwordHash })
      .catch(rethrowDuplicate('user', patch.name ?? user.name, user.domainId));
    return this.getUser(id);
  }

  /** A user changing its own password must prove the current one (401 otherwise). */
  async changePassword(id: string, original: string, password: string): Promise<void> {
    const user = await this.getUser(id);
    if (!user.passwordHash || !(await verifyPassword(original, user.passwordHash))) {
      throw new SluiceError('identity.invalid-credentials');
    }
    await this.repository.updateUser(id, { passwordHash: await hashPassword(password) });
  }

  async deleteUser(id: string): Promise<void> {
    if (!(await this.repository.deleteUser(id))) throw notFound('user', id);
  }
}

function rethrowDuplicate(kind: string, name: string, domainId: string): (error: unknown) => never {
  return (error) => {
    throw isUniqueViolation(error) ? duplicate(kind, name, domainId) : error;
  };
}
