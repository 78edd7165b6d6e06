// Barbican's default RBAC (barbican/common/policies/{base,secrets,containers,acls,consumers}.py, new
// defaults): project-scoped tokens; members create and list in their project; an object is read, changed
// or deleted by its project's admins, by members when they created it or its read ACL leaves project
// access on, and (read only) by users its read ACL names; `admin` of any project may read and delete.
import { SluiceError } from '../../errors.ts';
import type { AuthContext } from '../../identity/auth-context.ts';
import type { Acl } from '../../model/secret.ts';

/** Keystone's implied roles (admin → member → reader), which a token's role list does not spell out. */
const IMPLIED: Readonly<Record<string, readonly string[]>> = {
  admin: ['admin', 'member', 'reader'],
  member: ['member', 'reader'],
  reader: ['reader'],
};

export function hasRole(auth: AuthContext, role: 'admin' | 'member' | 'reader'): boolean {
  return auth.roles.some((held) => IMPLIED[held]?.includes(role));
}

/** The project a caller acts in; a token without a project scope is refused, as scope_types=['project']. */
export function callerProject(auth: AuthContext, operation: string): string {
  if (!auth.projectId) throw new SluiceError('key-manager.forbidden', { operation });
  return auth.projectId;
}

/** `role:member` rules (secrets:post, secrets:get, containers:post, containers:get). */
export function requireMember(auth: AuthContext, operation: string): string {
  const project = callerProject(auth, operation);
  if (!hasRole(auth, 'member')) throw new SluiceError('key-manager.forbidden', { operation });
  return project;
}

export type Owned = Readonly<{ projectId: string; creatorId: string | null }>;

export type EntityAction =
  /** secret:get / container:get: also any admin and users the read ACL names */
  | 'get'
  /** secret:decrypt: also users the read ACL names */
  | 'decrypt'
  /** secret:delete / container:delete: also any admin */
  | 'delete'
  /** secret:put, ACL and consumer calls */
  | 'change';

export function authorizeEntity(
  auth: AuthContext,
  entity: Owned,
  acls: readonly Acl[],
  action: EntityAction,
  operation: string,
): void {
  if (!auth.projectId) throw new SluiceError('key-manager.forbidden', { operation });
  const read = acls.find((acl) => acl.operation === 'read');
  // With no read ACL stored the object is project-readable (controllers.ACLMixin's default).
  const notPrivate = read?.projectAccess ?? true;
  const sameProject = auth.projectId === entity.projectId;
  const allowed =
    ((action === 'get' || action === 'delete') && hasRole(auth, 'admin')) ||
    (sameProject && hasRole(auth, 'admin')) ||
    (sameProject && hasRole(auth, 'member') && (entity.creatorId === auth.userId || notPrivate)) ||
    ((action === 'get' || action === 'decrypt') && (read?.users.includes(auth.userId) ?? false));
  if (!allowed) throw new SluiceError('key-manager.forbidden', { operation });
}
