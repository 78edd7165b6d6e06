// Identity rows as the rest of the code sees them: camelCase, real booleans, parsed lists. Shared by the
// identity repositories and the identity service.

/** `role_assignments.target_id` of a system-scope grant (project ids are uuid hex, never this). */
export const SYSTEM_TARGET = 'system';

export type DomainRecord = Readonly<{ id: string; name: string; description: string; enabled: boolean }>;

export type ProjectRecord = Readonly<{
  id: string;
  name: string;
  description: string;
  domainId: string;
  enabled: boolean;
  parentId: string | null;
  tags: readonly string[];
}>;

export type UserRecord = Readonly<{
  id: string;
  name: string;
  domainId: string;
  enabled: boolean;
  defaultProjectId: string | null;
  passwordHash: string | null;
}>;

export type RoleRecord = Readonly<{ id: string; name: string }>;

export type RoleAssignmentRecord = Readonly<{ userId: string; roleId: string; targetId: string }>;

export type TokenRecord = Readonly<{
  hash: string;
  userId: string;
  projectId: string | null;
  systemScope: boolean;
  methods: readonly string[];
  auditId: string;
  issuedAt: string;
  expiresAt: string;
  revoked: boolean;
}>;

/** Filters shared by the domain, project and user lists (Keystone's `name`, `domain_id`, `enabled`). */
export type DirectoryFilter = Readonly<{ name?: string; domainId?: string; enabled?: boolean }>;
