// Barbican's default RBAC (barbican/common/policies/{base,secrets,containers,acls,consumers}.py, new
// defaults): project-scoped tokens; members create and list in their project; an object is read, changed
// or deleted by its project's admins, by members when they created it or its read ACL leaves project
// access on, and, where the rule says so, by users its read ACL names or by `admin` of any project.
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

/**
 * What a rule adds to "project admin, or project member who created the object or whose read ACL leaves
 * project access on": `admin` of any project (secret:get, secret:delete), and the users the object's read
 * ACL names (secret:get, secret:decrypt, container:get, container_consumers:post/delete).
 */
export type EntityRule = Readonly<{ anyAdmin: boolean; aclRead: boolean }>;

export const RULES = {
  secretGet: { anyAdmin: true, aclRead: true },
  secretDecrypt: { anyAdmin: false, aclRead: true },
  secretDelete: { anyAdmin: true, aclRead: false },
  /** secret:put, secret_acls:*, container:delete, container_acls:* */
  ownerOnly: { anyAdmin: false, aclRead: false },
  /** container:get, container_consumers:post/delete */
  containerRead: { anyAdmin: false, aclRead: true },
} as const satisfies Record<string, EntityRule>;

export function authorizeEntity(
  auth: AuthContext,
  entity: Owned,
  acls: readonly Acl[],
  rule: EntityRule,
  operation: string,
): void {
  if (!auth.projectId) throw new SluiceError('key-manager.forbidden', { operation });
  const read = acls.find((acl) => acl.operation === 'read');
  // With no read ACL stored the object is project-readable (controllers.ACLMixin's default).
  const notPrivate = read?.projectAccess ?? true;
  const sameProject = auth.projectId === entity.projectId;
  const allowed =
    (rule.anyAdmin && hasRole(auth, 'admin')) ||
    (sameProject && hasRole(auth, 'admin')) ||
    (sameProject && hasRole(auth, 'member') && (entity.creatorId === auth.userId || notPrivate)) ||
    (rule.aclRead && (read?.users.includes(auth.userId) ?? false));
  if (!allowed) throw new SluiceError('key-manager.forbidden', { operation });
}
