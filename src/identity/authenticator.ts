// Turns a token request into a user and a scope: checks the password (or the token being re-scoped) and
// resolves the project or system scope with the user's roles there. Every failure is Keystone's 401.
import { SluiceError } from '../errors.ts';
import {
  type ProjectRecord,
  type RoleRecord,
  SYSTEM_TARGET,
  type UserRecord,
} from '../store/repositories/identity-records.ts';
import type { IdentityRepository } from '../store/repositories/identity-repository.ts';
import type { RoleRepository } from '../store/repositories/role-repository.ts';
import type { AuthRequest, PasswordCredentials, ScopeRequest } from './identity-types.ts';
import { verifyDecoy, verifyPassword } from './passwords.ts';

export const DEFAULT_DOMAIN_ID = 'default';

export type Identified = Readonly<{
  user: UserRecord;
  methods: readonly string[];
  /** re-scoped tokens keep the expiry of the token they came from */
  expiresAt: string | null;
}>;

export type ResolvedScope = Readonly<{
  project: ProjectRecord | null;
  system: boolean;
  roles: readonly RoleRecord[];
}>;

/** What the `token` method needs to know of the token it re-scopes (null when not live). */
export type LiveTokenLookup = (
  token: string,
) => Promise<Readonly<{ userId: string; methods: readonly string[]; expiresAt: string }> | null>;

const unauthorized = (): SluiceError => new SluiceError('identity.invalid-credentials');

export class Authenticator {
  private readonly directory: IdentityRepository;
  private readonly roles: RoleRepository;

  constructor(directory: IdentityRepository, roles: RoleRepository) {
    this.directory = directory;
    this.roles = roles;
  }

  async identify(request: AuthRequest, lookup: LiveTokenLookup): Promise<Identified> {
    if (request.methods.some((method) => method !== 'password' && method !== 'token')) throw unauthorized();
    if (request.methods.includes('password')) {
      if (!request.password) throw unauthorized();
      return { user: await this.checkPassword(request.password), methods: request.methods, expiresAt: null };
    }
    if (request.methods.includes('token') && request.token) {
      const previous = await lookup(request.token);
      const user = previous ? await this.directory.findUser(previous.userId) : null;
      if (!previous || !user?.enabled) throw unauthorized();
      const methods = [...new Set([...request.methods, ...previous.methods])];
      return { user, methods, expiresAt: previous.expiresAt };
    }
    throw unauthorized();
  }

  async resolveScope(user: UserRecord, scope: ScopeRequest): Promise<ResolvedScope> {
    switch (scope.kind) {
      case 'unscoped':
        return { project: null, system: false, roles: [] };
      case 'default':
        return this.defaultProjectScope(user);
      case 'system': {
        const roles = await this.roles.rolesOn(user.id, SYSTEM_TARGET);
        if (roles.length === 0) throw unauthorized();
        return { project: null, system: true, roles };
      }
      case 'domain':
        // No domain-level grants exist here, so no user can hold a domain-scoped token.
        throw unauthorized();
      case 'project': {
        const project = await this.findScopeProject(scope);
        if (!project?.enabled) throw unauthorized();
        const roles = await this.roles.rolesOn(user.id, project.id);
        if (roles.length === 0) throw unauthorized();
        return { project, system: false, roles };
      }
    }
  }

  /** Keystone scopes a request without `scope` to the user's default project when the user has a role there. */
  private async defaultProjectScope(user: UserRecord): Promise<ResolvedScope> {
    const project = user.defaultProjectId ? await this.directory.findProject(user.defaultProjectId) : null;
    const roles = project?.enabled ? await this.roles.rolesOn(user.id, project.id) : [];
    return roles.length > 0 ? { project, system: false, roles } : { project: null, system: false, roles: [] };
  }

  private async checkPassword(credentials: PasswordCredentials): Promise<UserRecord> {
    const user = await this.findUser(credentials);
    if (!user?.passwordHash) {
      await verifyDecoy(credentials.password);
      throw unauthorized();
    }
    const ok = await verifyPassword(credentials.password, user.passwordHash);
    if (!ok || !user.enabled) throw unauthorized();
    return user;
  }

  private async findUser(credentials: PasswordCredentials): Promise<UserRecord | null> {
    if (credentials.userId !== undefined) return this.directory.findUser(credentials.userId);
    if (credentials.userName === undefined) return null;
    const domainId = await this.domainIdOf(credentials.domainId, credentials.domainName);
    return domainId === null ? null : this.directory.findUserByName(domainId, credentials.userName);
  }

  private async findScopeProject(scope: ScopeRequest & { kind: 'project' }): Promise<ProjectRecord | null> {
    if (scope.id !== undefined) return this.directory.findProject(scope.id);
    if (scope.name === undefined) return null;
    const domainId = await this.domainIdOf(scope.domainId, scope.domainName);
    return domainId === null ? null : this.directory.findProjectByName(domainId, scope.name);
  }

  /** The domain named by id or name; Keystone requires one with a name, we default to `default`. */
  private async domainIdOf(id: string | undefined, name: string | undefined): Promise<string | null> {
    if (id !== undefined) return id;
    if (name === undefined) return DEFAULT_DOMAIN_ID;
    const domain = await this.directory.findDomainByName(name);
    return domain?.id ?? null;
  }
}
